-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("seq")
);


-- Hand-written: checkpoints are append-only, as the log they anchor.
CREATE TRIGGER "AuditCheckpoint_append_only"
  BEFORE UPDATE OR DELETE ON "AuditCheckpoint"
  FOR EACH ROW EXECUTE FUNCTION firebreak_append_only();
