"use client";

import { useId, useState } from "react";
import { fieldErrors } from "../api";
import { useSaveEnvironment, type EnvironmentFields } from "../mutations";
import type { EnvironmentRecord } from "../queries";
import { ErrorNotice } from "../ui/ErrorNotice";
import { Field } from "../ui/Field";
import styles from "./SettingsView.module.css";

type CredentialsMode = "default" | "profile" | "role";

const REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
];

/** Splits a stored reference ("default", "profile:<name>", a role ARN) into the form's two controls. */
function splitCredentials(ref: string | undefined): { mode: CredentialsMode; value: string } {
  if (!ref || ref === "default") return { mode: "default", value: "" };
  if (ref.startsWith("profile:")) return { mode: "profile", value: ref.slice("profile:".length) };
  return { mode: "role", value: ref };
}

function joinCredentials(mode: CredentialsMode, value: string): string {
  if (mode === "default") return "default";
  return mode === "profile" ? `profile:${value.trim()}` : value.trim();
}

/**
 * Creates or edits an environment. Validation is the API's (the model's one schema): the form
 * sends what was typed and shows each problem under the field its `details[].path` names.
 */
export function EnvironmentForm({ projectId, environment, onDone }: { projectId: string; environment?: EnvironmentRecord; onDone: () => void }) {
  const save = useSaveEnvironment(projectId);
  const [name, setName] = useState(environment?.name ?? "");
  const [kind, setKind] = useState<"local" | "aws">(environment?.kind ?? "local");
  const [region, setRegion] = useState(environment?.region ?? "");
  const initial = splitCredentials(environment?.credentialsRef);
  const [credMode, setCredMode] = useState<CredentialsMode>(initial.mode);
  const [credValue, setCredValue] = useState(initial.value);
  const [stackName, setStackName] = useState(environment?.stackName ?? "");
  const errors = fieldErrors(save.error);
  const regionListId = useId();
  const kindName = useId();

  const submit = () => {
    const aws = kind === "aws";
    const fields: EnvironmentFields = {
      name: name.trim(),
      kind,
      // A local environment has no region, credentials or stack: clear whatever an aws one had.
      region: aws ? region.trim() || null : null,
      credentialsRef: aws ? joinCredentials(credMode, credValue) : null,
      stackName: aws ? stackName.trim() || null : null,
    };
    save.mutate({ id: environment?.id, fields }, { onSuccess: onDone });
  };

  return (
    <form
      className={styles.envForm}
      aria-label={environment ? `Edit environment ${environment.name}` : "New environment"}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>{environment ? `Edit ${environment.name}` : "New environment"}</h3>
      <div className="form-grid">
        <Field label="Environment name" error={errors.name} hint="Letters, digits, spaces, _ . and -, e.g. prod or Local sandbox.">
          {(p) => <input {...p} className="input" value={name} onChange={(e) => setName(e.target.value)} autoFocus autoComplete="off" maxLength={64} />}
        </Field>
        <fieldset className={styles.kindField}>
          <legend className="field-label">Kind</legend>
          <div className="segmented segmented-lg">
            <label className="segmented-option">
              <input type="radio" name={kindName} value="local" checked={kind === "local"} onChange={() => setKind("local")} />
              Local sandbox
            </label>
            <label className="segmented-option">
              <input type="radio" name={kindName} value="aws" checked={kind === "aws"} onChange={() => setKind("aws")} />
              AWS
            </label>
          </div>
          {errors.kind && <p className="field-error">{errors.kind}</p>}
          <p className="field-hint">{kind === "local" ? "Runs on this machine; needs no region or credentials." : "A deployed stack, read with AWS credentials."}</p>
        </fieldset>

        {kind === "aws" && (
          <>
            <Field label="Region" error={errors.region} hint="Where the stack is deployed.">
              {(p) => (
                <>
                  <input {...p} className="input input-mono" value={region} onChange={(e) => setRegion(e.target.value)} list={regionListId} placeholder="eu-west-1" autoComplete="off" />
                  <datalist id={regionListId}>
                    {REGIONS.map((r) => (
                      <option key={r} value={r} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <Field label="Stack name" optional error={errors.stackName} hint="The CloudFormation stack whose resources the nodes bind to.">
              {(p) => <input {...p} className="input input-mono" value={stackName} onChange={(e) => setStackName(e.target.value)} placeholder="orders-prod" autoComplete="off" />}
            </Field>
            <div className={`span-2 ${styles.credentials}`}>
              <Field
                label="Credentials"
                error={credMode === "default" ? errors.credentialsRef : undefined}
                hint="A reference only: Topograph never stores keys or secrets."
              >
                {(p) => (
                  <select {...p} className="select" value={credMode} onChange={(e) => setCredMode(e.target.value as CredentialsMode)}>
                    <option value="default">Default provider chain</option>
                    <option value="profile">Named profile (~/.aws/config)</option>
                    <option value="role">IAM role to assume</option>
                  </select>
                )}
              </Field>
              {credMode !== "default" && (
                <Field
                  label={credMode === "profile" ? "Profile name" : "Role ARN"}
                  error={errors.credentialsRef}
                  hint={credMode === "profile" ? "Stored as profile:<name>." : "arn:aws:iam::<account>:role/<name>"}
                >
                  {(p) => (
                    <input
                      {...p}
                      className="input input-mono"
                      value={credValue}
                      onChange={(e) => setCredValue(e.target.value)}
                      placeholder={credMode === "profile" ? "orders-readonly" : "arn:aws:iam::123456789012:role/TopographObserver"}
                      autoComplete="off"
                      spellCheck={false}
                    />
                  )}
                </Field>
              )}
            </div>
          </>
        )}
      </div>
      {save.error && <ErrorNotice error={save.error} title="The environment was not saved" hidePaths={["name", "kind", "region", "credentialsRef", "stackName"]} compact />}
      <div className="btn-row btn-row-end">
        <button
          type="button"
          className="btn"
          onClick={() => {
            save.reset();
            onDone();
          }}
        >
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : environment ? "Save environment" : "Add environment"}
        </button>
      </div>
    </form>
  );
}
