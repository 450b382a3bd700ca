import Link from "next/link";
import { ThemeToggle } from "./ThemeToggle";
import { SessionBadge } from "./auth/SessionBadge";

export function TopBar() {
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link href="/" className="brand" aria-label="Topograph, all projects">
          {/* eslint-disable-next-line @next/next/no-img-element -- a 20 px SVG needs no optimisation */}
          <img src="/logo.svg" alt="" width={22} height={22} />
          <span className="brand-name">Topograph</span>
        </Link>
        <nav aria-label="Main" className="topbar-nav">
          <Link href="/">Projects</Link>
          <a href="/api/schema" target="_blank" rel="noreferrer">
            JSON Schema
          </a>
        </nav>
        <div className="topbar-end">
          <SessionBadge />
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}
