-- CreateEnum
CREATE TYPE "IncidentKind" AS ENUM ('DATA_BREACH', 'ACCOUNT_TAKEOVER', 'SOCIAL_ACCOUNT_COMPROMISE', 'OTHER');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('SEV1', 'SEV2', 'SEV3', 'SEV4');

-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('DECLARED', 'CONTAINED', 'RESOLVED', 'CLOSED');

-- CreateEnum
CREATE TYPE "MilestoneKind" AS ENUM ('AWARE', 'CLASSIFIED_MAJOR', 'DETERMINED', 'MATERIAL', 'EXTORTION_PAID', 'REPORT_FILED');

-- CreateTable
CREATE TABLE "Incident" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "IncidentKind" NOT NULL,
    "severity" "Severity" NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'DECLARED',
    "summary" TEXT NOT NULL,
    "detectedAt" TIMESTAMPTZ(3) NOT NULL,
    "declaredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "declaredById" UUID NOT NULL,
    "commanderId" UUID,
    "closedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimelineEntry" (
    "id" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "action" TEXT,
    "message" TEXT NOT NULL,
    "actorId" UUID,
    "actorLabel" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "TimelineEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentMilestone" (
    "id" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "kind" "MilestoneKind" NOT NULL,
    "report" TEXT,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recordedById" UUID,
    "recordedBy" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "IncidentMilestone_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Incident_reference_key" ON "Incident"("reference");

-- CreateIndex
CREATE INDEX "Incident_status_declaredAt_idx" ON "Incident"("status", "declaredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_year_number_key" ON "Incident"("year", "number");

-- CreateIndex
CREATE INDEX "TimelineEntry_incidentId_at_idx" ON "TimelineEntry"("incidentId", "at");

-- CreateIndex
CREATE INDEX "IncidentMilestone_incidentId_occurredAt_idx" ON "IncidentMilestone"("incidentId", "occurredAt");

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_declaredById_fkey" FOREIGN KEY ("declaredById") REFERENCES "StaffUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_commanderId_fkey" FOREIGN KEY ("commanderId") REFERENCES "StaffUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimelineEntry" ADD CONSTRAINT "TimelineEntry_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentMilestone" ADD CONSTRAINT "IncidentMilestone_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: an incident's timeline is append-only, like the audit log.
CREATE FUNCTION firebreak_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$;

CREATE TRIGGER "TimelineEntry_append_only"
  BEFORE UPDATE OR DELETE ON "TimelineEntry"
  FOR EACH ROW EXECUTE FUNCTION firebreak_append_only();
