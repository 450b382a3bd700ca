import "@fontsource-variable/inter";
import "./globals.css";
import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { TopBar } from "@/components/TopBar";
import { themeScript } from "@/components/theme-script";

export const metadata: Metadata = {
  title: { default: "Topograph", template: "%s · Topograph" },
  description: "Design serverless AWS topologies by bounded context, export them, run them locally and observe them live.",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#14171c" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // proxy.ts makes a CSP nonce per request; the theme script needs it to run.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // The inline script sets data-theme before React hydrates; the attribute would otherwise be a mismatch.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>
        <Providers>
          <a href="#main" className="skip-link">
            Skip to content
          </a>
          <TopBar />
          <main id="main" className="app-main">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
