-- Partial indexes on live runs only (queued, running, waiting): the queue scans and the
-- per-workflow concurrency count look for nothing else, and settled runs (nearly all rows) then
-- stay out of both, so settling a run no longer inserts into them. Prisma neither expresses nor
-- introspects partial indexes, so the schema does not list these two and sees no drift.
DROP INDEX "WorkflowRun_status_resumeAt_idx";
CREATE INDEX "WorkflowRun_status_resumeAt_idx" ON "WorkflowRun"("status", "resumeAt") WHERE "status" IN ('queued', 'running', 'waiting');

DROP INDEX "WorkflowRun_workflowId_status_idx";
CREATE INDEX "WorkflowRun_workflowId_status_idx" ON "WorkflowRun"("workflowId", "status") WHERE "status" IN ('queued', 'running', 'waiting');
