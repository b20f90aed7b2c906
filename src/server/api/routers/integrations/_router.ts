import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { startOAuthConnection } from "@/server/oauth/flow";
import { connectWithToken, disconnect, listProviders, reconnectConnection, renameConnection, testConnection } from "@/server/services/connections";
import { stripeRecentPayments } from "@/server/services/stripe-connect";
import { contactsInput, pipedreamConnectInput, pipedrivePersonsInput, syncConnectionInput, syncHistoryInput, syncSelectedInput } from "@/server/services/contacts-inputs";
import { listContacts } from "@/server/services/contacts";
import { contactSyncAccess, contactSyncHistory, contactSyncStatus, listPipedrivePersons, pipedriveEnv, startContactSync } from "@/server/services/contacts-sync";
import { createPipedreamConnectLink } from "@/server/services/pipedream-connect";
import {
  githubConnectionInput,
  githubRepositoryInput,
  githubRepositoryWebhooks,
  unwatchGithubRepository,
  watchGithubRepository,
} from "@/server/services/github-webhooks";

/** The origin the browser used, for redirect URIs when AUTH_URL is not set. */
function requestOrigin(headers: Headers): string | undefined {
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (!host) return undefined;
  const protocol = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${protocol}://${host}`;
}

const connectionId = z.object({ id: z.string().min(1).max(64) }).strict();
const label = z.string().trim().min(1, { error: "Give the connection a name" }).max(80, { error: "Name must be at most 80 characters" });

export const integrationsRouter = router({
  /** Every provider that can be connected, with the user's connections (never their secrets). */
  providers: protectedProcedure.query(({ ctx }) => listProviders(ctx.db, ctx.user.id, ctx.providers)),

  /** Starts an OAuth connection: stores the state server-side and returns the URL to open. */
  connect: protectedProcedure
    .input(z.object({ provider: z.string().min(1).max(40), returnTo: z.string().max(200).optional() }).strict())
    .mutation(({ ctx, input }) =>
      startOAuthConnection(ctx.db, ctx.keys, ctx.providers.oauth, ctx.user.id, { ...input, origin: requestOrigin(ctx.headers) }),
    ),

  connectWithToken: protectedProcedure
    .input(z.object({ provider: z.string().min(1).max(40), label: label.optional(), fields: z.record(z.string(), z.unknown()) }).strict())
    .mutation(({ ctx, input }) => connectWithToken(ctx.db, ctx.keys, ctx.providers, ctx.user.id, input)),

  /** Starts the OAuth flow again for one of the user's connections; the callback heals that connection. */
  reconnect: protectedProcedure
    .input(z.object({ id: z.string().min(1).max(64), returnTo: z.string().max(200).optional() }).strict())
    .mutation(({ ctx, input }) =>
      reconnectConnection(ctx.db, ctx.keys, ctx.providers, ctx.user.id, { ...input, origin: requestOrigin(ctx.headers) }),
    ),

  test: protectedProcedure.input(connectionId).mutation(({ ctx, input }) => testConnection(ctx.db, ctx.keys, ctx.providers, ctx.user.id, input.id)),

  rename: protectedProcedure
    .input(z.object({ id: z.string().min(1).max(64), label }).strict())
    .mutation(({ ctx, input }) => renameConnection(ctx.db, ctx.user.id, input.id, input.label)),

  disconnect: protectedProcedure
    .input(connectionId)
    .mutation(({ ctx, input }) => disconnect(ctx.db, ctx.keys, ctx.providers, ctx.user.id, input.id)),

  /** The connected Stripe account's latest succeeded charges. */
  stripeRecentPayments: protectedProcedure
    .input(z.object({ connectionId: z.string().min(1).max(64) }).strict())
    .query(({ ctx, input }) => stripeRecentPayments(ctx.db, ctx.providers.oauth, ctx.user.id, input.connectionId)),

  // --- GitHub repository webhooks for the New GitHub issue trigger (src/server/services/github-webhooks.ts) ---

  /** Creates the repository's webhook (signed with the connection's secret, never returned) and remembers it. */
  githubWatchRepository: protectedProcedure
    .input(githubRepositoryInput)
    .mutation(({ ctx, input }) => watchGithubRepository(ctx.db, ctx.keys, ctx.providers, ctx.user.id, { ...input, origin: requestOrigin(ctx.headers) })),

  /** Deletes the webhook Cue created in the repository. */
  githubUnwatchRepository: protectedProcedure
    .input(githubRepositoryInput)
    .mutation(({ ctx, input }) => unwatchGithubRepository(ctx.db, ctx.keys, ctx.providers, ctx.user.id, input)),

  /** The connection's watched repositories, its webhook URL and whether the user pasted a webhook secret. */
  githubRepositoryWebhooks: protectedProcedure
    .input(githubConnectionInput)
    .query(({ ctx, input }) => githubRepositoryWebhooks(ctx.db, ctx.keys, ctx.providers, ctx.user.id, { ...input, origin: requestOrigin(ctx.headers) })),

  // --- Pipedream Connect and Pipedrive contact sync (src/server/services/pipedream-connect.ts, contacts-sync.ts) ---

  /** A Pipedream Connect Link for one app (by slug); Pipedream reports the account by webhook. */
  pipedreamConnect: protectedProcedure
    .input(pipedreamConnectInput)
    .mutation(({ ctx, input }) => createPipedreamConnectLink(ctx.providers.oauth, ctx.user.id, { app: input.app, origin: requestOrigin(ctx.headers) })),

  /** Whether the plan includes contact sync (the page shows the upsell otherwise). */
  contactSyncAccess: protectedProcedure.query(({ ctx }) => contactSyncAccess(ctx.db, ctx.user.id)),

  /** Imports every person of the Pipedrive company, in the background. */
  pipedriveSync: protectedProcedure
    .input(syncConnectionInput)
    .mutation(({ ctx, input }) => startContactSync(ctx.db, ctx.keys, ctx.user.id, { connectionId: input.connectionId, ...pipedriveEnv(ctx.providers) })),

  /** Imports the persons picked from pipedrivePersons, in the background. */
  pipedriveSyncSelected: protectedProcedure
    .input(syncSelectedInput)
    .mutation(({ ctx, input }) => startContactSync(ctx.db, ctx.keys, ctx.user.id, { ...input, ...pipedriveEnv(ctx.providers) })),

  /** Persons to pick for a selective import: a page of the list or of a search. */
  pipedrivePersons: protectedProcedure
    .input(pipedrivePersonsInput)
    .query(({ ctx, input }) => listPipedrivePersons(ctx.db, ctx.keys, ctx.user.id, { ...input, ...pipedriveEnv(ctx.providers) })),

  /** The running sync's live counts and the last finished one. */
  pipedriveSyncStatus: protectedProcedure.input(syncConnectionInput).query(({ ctx, input }) => contactSyncStatus(ctx.db, ctx.user.id, input.connectionId)),

  /** The sync log: counts and per-record errors of each run, newest first. */
  pipedriveSyncHistory: protectedProcedure
    .input(syncHistoryInput)
    .query(({ ctx, input }) => contactSyncHistory(ctx.db, ctx.user.id, input)),

  /** The user's imported contacts, searchable. */
  contacts: protectedProcedure.input(contactsInput).query(({ ctx, input }) => listContacts(ctx.db, ctx.user.id, input)),
});
