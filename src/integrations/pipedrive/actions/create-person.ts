// Add a person (https://developers.pipedrive.com/docs/api/v1/Persons#addPerson).
import { z } from "zod";
import { defineAction } from "../../core/define";
import { pipedriveData, pipedriveHeaders, pipedriveId, pipedriveUrl } from "../client";

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).optional();

const input = z.object({
  name: z.string().trim().min(1).max(255),
  email: oneOrMany(z.email()).describe("Email address, or a list (the first is primary)"),
  phone: oneOrMany(z.string().trim().min(3)).describe("Phone number, or a list (the first is primary)"),
  orgId: pipedriveId.optional().describe("Organization id"),
});

const output = z.object({ id: z.number().int(), name: z.string() });

const created = pipedriveData(z.object({ id: z.number().int(), name: z.string() }).loose());

function contactPoints(values: string | string[] | undefined) {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return list.map((value, index) => ({ value, primary: index === 0, label: "work" }));
}

export const createPerson = defineAction({
  type: "pipedrive.person.create",
  title: "Create a Pipedrive person",
  description: "Adds a contact person to Pipedrive.",
  phrases: ["add a contact to pipedrive", "create a person", "create a contact", "add to crm", "new pipedrive person", "add a lead contact", "add to pipedrive", "add them to pipedrive", "add the customer to pipedrive", "add as a contact in pipedrive", "add a person in pipedrive", "create a contact in pipedrive"],
  input,
  output,
  sampleOutput: { id: 1234, name: "Jenny Rosen" },
  request(person, ctx) {
    const email = contactPoints(person.email);
    const phone = contactPoints(person.phone);
    return {
      method: "POST",
      url: pipedriveUrl(ctx, "persons"),
      headers: pipedriveHeaders(ctx),
      json: {
        name: person.name,
        ...(email.length ? { email } : {}),
        ...(phone.length ? { phone } : {}),
        ...(person.orgId !== undefined ? { org_id: person.orgId } : {}),
      },
    };
  },
  parse: (response) => {
    const { data } = created.parse(response.body);
    return { id: data.id, name: data.name };
  },
});
