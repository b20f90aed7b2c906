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

server.service.on(Events.BeforeTokenSigning, (token) => {
  Object.assign(token.payload, user);
});
server.service.on(Events.BeforeUserinfo, (response) => {
  response.body = { ...user };
});

await server.start(port, "127.0.0.1");
console.log(`OIDC provider listening at ${server.issuer.url}`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
