// Passes the requested path to server components, so a signed-out visitor to a deep link is
// sent to sign-in and brought back to the same page afterwards. No auth decision is made here.
import { NextResponse, type NextRequest } from "next/server";

export const REQUEST_PATH_HEADER = "x-cue-path";

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
