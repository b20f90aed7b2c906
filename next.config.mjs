/** @type {import('next').NextConfig} */
const nextConfig = {
  // Database drivers load their own WASM/native files at run time: keep them out of the bundle.
  // BullMQ (production queue) has optional worker-thread/child-process entry points: same.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "bullmq", "ioredis"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
