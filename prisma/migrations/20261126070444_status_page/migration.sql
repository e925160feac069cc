-- CreateEnum
CREATE TYPE "ChannelKind" AS ENUM ('X', 'TELEGRAM', 'MAIL_DOMAIN', 'BLOG', 'APP', 'OTHER');

-- CreateEnum
CREATE TYPE "ChannelStatus" AS ENUM ('TRUSTED', 'COMPROMISED', 'RECOVERED');

-- CreateEnum
CREATE TYPE "NoticeState" AS ENUM ('INVESTIGATING', 'IDENTIFIED', 'MONITORING', 'RESOLVED');

-- AlterEnum
ALTER TYPE "NoticeNotify" ADD VALUE 'SUBSCRIBERS';

-- AlterTable
ALTER TABLE "DisclosureRevision" ADD COLUMN     "state" "NoticeState" NOT NULL DEFAULT 'INVESTIGATING';

-- AlterTable
ALTER TABLE "MailMessage" ADD COLUMN     "unsubscribeUrl" TEXT;

-- AlterTable
ALTER TABLE "NoticeDelivery" DROP CONSTRAINT "NoticeDelivery_pkey",
ADD CONSTRAINT "NoticeDelivery_pkey" PRIMARY KEY ("noticeId", "notify");

-- CreateTable
CREATE TABLE "OfficialChannel" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ChannelKind" NOT NULL,
    "handle" TEXT NOT NULL,
    "url" TEXT,
    "status" "ChannelStatus" NOT NULL DEFAULT 'TRUSTED',
    "publicNote" TEXT,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OfficialChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelStatement" (
    "id" UUID NOT NULL,
    "channelId" UUID NOT NULL,
    "status" "ChannelStatus" NOT NULL,
    "reason" TEXT NOT NULL,
    "incidentId" UUID,
    "madeById" UUID,
    "madeBy" TEXT NOT NULL,
    "madeAt" TIMESTAMPTZ(3) NOT NULL,
    "payload" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,

    CONSTRAINT "ChannelStatement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatusSubscriber" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "confirmNonce" TEXT,
    "confirmationSentAt" TIMESTAMPTZ(3),
    "confirmedAt" TIMESTAMPTZ(3),
    "unsubscribedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatusSubscriber_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OfficialChannel_kind_handle_key" ON "OfficialChannel"("kind", "handle");

-- CreateIndex
CREATE INDEX "ChannelStatement_channelId_madeAt_idx" ON "ChannelStatement"("channelId", "madeAt");

-- CreateIndex
CREATE UNIQUE INDEX "StatusSubscriber_email_key" ON "StatusSubscriber"("email");

-- CreateIndex
CREATE INDEX "StatusSubscriber_confirmedAt_idx" ON "StatusSubscriber"("confirmedAt");

-- CreateIndex
CREATE INDEX "StatusSubscriber_confirmationSentAt_idx" ON "StatusSubscriber"("confirmationSentAt");

-- AddForeignKey
ALTER TABLE "ChannelStatement" ADD CONSTRAINT "ChannelStatement_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "OfficialChannel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: a channel's signed statements are never rewritten (the app's role may only SELECT
-- and INSERT them: lib/db/roles.ts).
CREATE TRIGGER "ChannelStatement_append_only"
  BEFORE UPDATE OR DELETE ON "ChannelStatement"
  FOR EACH ROW EXECUTE FUNCTION firebreak_append_only();

-- The public status page is served from a snapshot in each web process (lib/status/snapshot.ts).
-- Whatever changes what it shows says so on the channel `firebreak_status`, delivered at commit
-- to every process listening: a publication, a channel's change. (An incident's own status is
-- internal: the page shows the state its published notices give.) A trigger, not a call in each
-- writer, so no writer (the console, the API, the CLI, SQL by hand) can forget.
CREATE FUNCTION firebreak_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('firebreak_status', TG_TABLE_NAME);
  RETURN NULL;
END $$;
CREATE TRIGGER "PublishedNotice_status_changed"
  AFTER INSERT ON "PublishedNotice"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_status_changed();
CREATE TRIGGER "OfficialChannel_status_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "OfficialChannel"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_status_changed();
