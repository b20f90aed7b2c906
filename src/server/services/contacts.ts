// The user's contacts (imported from Pipedrive by contact sync): a searchable, paged list.
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { notFound } from "@/lib/errors";

export async function listContacts(
  db: Db,
  userId: string,
  input: { search?: string; connectionId?: string; cursor?: string; limit?: number },
) {
  if (input.connectionId) {
    const owned = await db.connection.findFirst({ where: { id: input.connectionId, userId }, select: { id: true } });
    if (!owned) throw notFound("Connection");
  }
  const term = input.search?.trim();
  const where: Prisma.ContactWhereInput = {
    userId,
    ...(input.connectionId ? { mappings: { some: { connectionId: input.connectionId } } } : {}),
    ...(term
      ? {
          OR: [
            { name: { contains: term, mode: "insensitive" } },
            { email: { contains: term.toLowerCase() } },
            // Phone numbers are stored normalised, so a phone-looking term is normalised too.
            ...(/^[\d\s()+.-]+$/.test(term) && /\d{3}/.test(term.replace(/\D/g, "")) ? [{ phone: { contains: term.replace(/[^\d]/g, "") } }] : []),
            { organization: { contains: term, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const limit = input.limit ?? 50;
  const rows = await db.contact.findMany({
    where,
    select: {
      id: true,
      name: true,
      email: true,
      phone: true,
      organization: true,
      openDeals: true,
      wonDeals: true,
      updatedAt: true,
      mappings: { select: { connection: { select: { label: true } } } },
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  const total = await db.contact.count({ where });
  return {
    items: page.map(({ mappings, ...contact }) => ({ ...contact, sources: [...new Set(mappings.map((m) => m.connection.label))] })),
    nextCursor: rows.length > limit ? page.at(-1)!.id : null,
    total,
  };
}
