// A real OpenID Connect provider on 127.0.0.1 for end-to-end sign-in (oauth2-mock-server):
// discovery, authorize redirect, code exchange with PKCE, signed id_token with profile claims.
import { Events, OAuth2Server } from "oauth2-mock-server";

const port = Number(process.env.OIDC_PORT ?? 9099);
const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");
server.issuer.url = `http://127.0.0.1:${port}`;

const user = {
  sub: "e2e-user-1",
  email: process.env.OIDC_EMAIL ?? "ada@example.com",
  name: process.env.OIDC_NAME ?? "Ada Lovelace",
  email_verified: true,
};

// A spec that needs a user of its own (a new account, untouched by the other specs) sets the
// cookie `e2e_oidc_user=<slug>` on this origin before signing in: the code issued to that browser
// then signs in <slug>@example.com instead of the shared user.
const USER_COOKIE = "e2e_oidc_user";
const userForCode = new Map();
const userFor = (slug) => ({ sub: `e2e-${slug}`, email: `${slug}@example.com`, name: `E2E ${slug}`, email_verified: true });

server.service.on(Events.BeforeAuthorizeRedirect, (redirect, req) => {
  const cookie = (req.headers.cookie ?? "").split(/;\s*/).find((c) => c.startsWith(`${USER_COOKIE}=`));
  const slug = cookie?.slice(USER_COOKIE.length + 1);
  const code = redirect.url.searchParams.get("code");
  if (code && slug && /^[a-z0-9-]{1,40}$/.test(slug)) userForCode.set(code, userFor(slug));
});
server.service.on(Events.BeforeTokenSigning, (token, req) => {
  Object.assign(token.payload, userForCode.get(req.body?.code) ?? user);
});
server.service.on(Events.BeforeUserinfo, (response, req) => {
  // The access token is a JWT this server signed with the user's claims.
  const jwt = (req.headers.authorization ?? "").replace(/^Bearer /, "").split(".")[1];
  const claims = jwt ? JSON.parse(Buffer.from(jwt, "base64url").toString("utf8")) : {};
  response.body = claims.sub && claims.sub !== user.sub ? userFor(claims.sub.replace(/^e2e-/, "")) : { ...user };
});

await server.start(port, "127.0.0.1");
console.log(`OIDC provider listening at ${server.issuer.url}`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
