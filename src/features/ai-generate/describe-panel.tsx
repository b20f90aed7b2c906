"use client";
// "Describe it": a sentence in, a generated workflow previewed with what Cue understood (the language
// it read, the words and parts it could not map, and where a language model's graph differs from
// Cue's own reading); "Use this" saves it as a draft and opens the editor, "Try again" regenerates
// from the (edited) description.
import "./describe-panel.css";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { nodeSummary } from "@/features/workflow-editor/node-summary";
import { fieldErrorsFrom, messageFrom } from "@/lib/trpc-errors";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";
import { GraphPreview } from "./graph-preview";

type Generated = inferRouterOutputs<AppRouter>["workflows"]["generate"];

const EXAMPLES = [
  "When a payment fails, create a Jira ticket and text the customer",
  "Every Monday at 9am, post a reminder in #sales",
  "When a deal is won and the value is over 10000, post to #wins, otherwise email sales@example.com",
  "Quand un abonnement est annulé, attendre 2 jours puis envoyer un e-mail au client",
];
const NAME_LENGTH = 80;

function draftName(description: string): string {
  const line = description.replace(/\s+/g, " ").trim();
  return line.length > NAME_LENGTH ? `${line.slice(0, NAME_LENGTH - 1)}…` : line || "Generated workflow";
}

export function DescribePanel({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const input = useRef<HTMLTextAreaElement>(null);
  const [description, setDescription] = useState("");
  const [result, setResult] = useState<{ description: string; generated: Generated } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const catalog = useQuery({ ...trpc.workflows.catalog.queryOptions(), staleTime: Infinity });

  const generate = useMutation(
    trpc.workflows.generate.mutationOptions({
      onSuccess: (generated, variables) => {
        setResult({ description: variables.description, generated });
        setError(null);
      },
      onError: (failure) => {
        setResult(null);
        setError(fieldErrorsFrom(failure).description?.[0] ?? messageFrom(failure));
      },
    }),
  );
  const create = useMutation(
    trpc.workflows.create.mutationOptions({
      onSuccess: ({ id }) => router.push(`/workflows/${id}`),
      onError: (failure) => setError(messageFrom(failure)),
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    generate.mutate({ description });
  }

  function tryAgain() {
    // Keep the description so it can be edited, and put the cursor back in it.
    setResult(null);
    input.current?.focus();
  }

  const titles = new Map((catalog.data ?? []).map((entry) => [entry.type, `${entry.providerName}: ${entry.title}`]));
  const graph = result?.generated.graph;

  return (
    <section className="card ai-generate" aria-label="Describe a workflow">
      <form onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="ai-description">Describe the workflow</label>
          <textarea
            id="ai-description"
            ref={input}
            rows={3}
            maxLength={2000}
            value={description}
            placeholder={EXAMPLES[0]}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "ai-description-error" : "ai-description-hint"}
            onChange={(event) => setDescription(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) onSubmit(event);
            }}
          />
          {error ? (
            <span id="ai-description-error" className="field-error" role="alert">
              {error}
            </span>
          ) : (
            <span id="ai-description-hint" className="muted ai-hint">
              For example: {EXAMPLES.map((example) => `“${example}”`).join(" · ")}
            </span>
          )}
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={generate.isPending || !description.trim()}>
            {generate.isPending ? "Generating…" : result ? "Try again" : "Generate"}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </form>

      {result && graph ? (
        <div className="ai-result" data-testid="generate-preview">
          <p className="ai-explanation" data-testid="generate-explanation">
            <span className={`ai-source ai-source-${result.generated.source}`}>{result.generated.source === "llm" ? "Language model" : "Offline planner"}</span>{" "}
            {result.generated.explanation}
          </p>
          <p className="muted ai-reading" data-testid="generate-coverage">
            <span className="ai-language" data-testid="generate-language">
              Read as {result.generated.language.name}
            </span>{" "}
            {result.generated.coverage.unmappedWords.length
              ? `· Words Cue did not map: ${result.generated.coverage.unmappedWords.join(", ")}`
              : "· Every word was mapped"}
          </p>
          {result.generated.unmapped.length ? (
            <div className="alert alert-warning" role="status" data-testid="generate-unmapped">
              Not mapped — add these by hand: {result.generated.unmapped.join("; ")}
            </div>
          ) : null}
          {result.generated.disagreements.length ? (
            <div className="alert alert-warning" role="status" data-testid="generate-disagreements">
              Cue reads your description differently from the language model — check these before using it:
              <ul>
                {result.generated.disagreements.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {catalog.data ? <GraphPreview graph={graph} catalog={catalog.data} /> : null}
          <ol className="ai-steps" aria-label="Generated steps">
            {graph.nodes.map((node) => (
              <li key={node.id} data-testid={`generate-step-${node.id}`}>
                <strong>{titles.get(node.type) ?? node.type}</strong>
                {nodeSummary(node.type, node.config) ? <span className="muted"> — {nodeSummary(node.type, node.config)}</span> : null}
              </li>
            ))}
          </ol>
          <div className="actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={create.isPending}
              onClick={() => create.mutate({ name: draftName(result.description), description: result.description.slice(0, 1000), graph })}
            >
              {create.isPending ? "Creating…" : "Use this"}
            </button>
            <button type="button" className="btn btn-secondary" onClick={tryAgain}>
              Edit the description
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
