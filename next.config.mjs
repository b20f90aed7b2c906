/** @type {import('next').NextConfig} */
const nextConfig = {
  // Database drivers load their own WASM/native files at run time: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
