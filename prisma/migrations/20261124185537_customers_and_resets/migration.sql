-- CreateEnum
CREATE TYPE "CustomerStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'CLOSED');

-- CreateEnum
CREATE TYPE "ResetScope" AS ENUM ('ALL', 'AFFECTED');

-- CreateEnum
CREATE TYPE "ResetStatus" AS ENUM ('PENDING_APPROVAL', 'RUNNING', 'COMPLETED', 'CANCELLED', 'FAILED');

-- CreateTable
CREATE TABLE "Customer" (
    "id" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT,
    "mustResetPassword" BOOLEAN NOT NULL DEFAULT false,
    "credentialsChangedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "twoFactorEnabled" BOOLEAN NOT NULL DEFAULT false,
    "hasBalance" BOOLEAN NOT NULL DEFAULT false,
    "withdrawalsLockedUntil" TIMESTAMPTZ(3),
    "status" "CustomerStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerSession" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CustomerSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerApiKey" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "keyHash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CustomerApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentAffectedCustomer" (
    "incidentId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "addedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentAffectedCustomer_pkey" PRIMARY KEY ("incidentId","customerId")
);

-- CreateTable
CREATE TABLE "ResetCampaign" (
    "id" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "scope" "ResetScope" NOT NULL,
    "onlyWithout2fa" BOOLEAN NOT NULL DEFAULT false,
    "onlyWithBalance" BOOLEAN NOT NULL DEFAULT false,
    "revokeSessions" BOOLEAN NOT NULL DEFAULT true,
    "revokeApiKeys" BOOLEAN NOT NULL DEFAULT false,
    "sendMail" BOOLEAN NOT NULL DEFAULT true,
    "lockWithdrawalsHours" INTEGER,
    "status" "ResetStatus" NOT NULL DEFAULT 'PENDING_APPROVAL',
    "targetCount" INTEGER NOT NULL,
    "requestedById" UUID,
    "requestedBy" TEXT NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approvedById" UUID,
    "approvedBy" TEXT,
    "cancelledBy" TEXT,
    "effectiveAt" TIMESTAMPTZ(3),
    "processedCount" INTEGER NOT NULL DEFAULT 0,
    "mailedCount" INTEGER NOT NULL DEFAULT 0,
    "chunksDone" INTEGER NOT NULL DEFAULT 0,
    "cursor" UUID,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,

    CONSTRAINT "ResetCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResetToken" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ResetToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Customer_externalId_key" ON "Customer"("externalId");

-- CreateIndex
CREATE INDEX "Customer_email_idx" ON "Customer"("email");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerSession_tokenHash_key" ON "CustomerSession"("tokenHash");

-- CreateIndex
CREATE INDEX "CustomerSession_customerId_idx" ON "CustomerSession"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerApiKey_keyHash_key" ON "CustomerApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "CustomerApiKey_customerId_idx" ON "CustomerApiKey"("customerId");

-- CreateIndex
CREATE INDEX "IncidentAffectedCustomer_customerId_idx" ON "IncidentAffectedCustomer"("customerId");

-- CreateIndex
CREATE INDEX "ResetCampaign_status_effectiveAt_idx" ON "ResetCampaign"("status", "effectiveAt");

-- CreateIndex
CREATE INDEX "ResetCampaign_incidentId_idx" ON "ResetCampaign"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "ResetToken_tokenHash_key" ON "ResetToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ResetToken_customerId_idx" ON "ResetToken"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "ResetToken_campaignId_customerId_key" ON "ResetToken"("campaignId", "customerId");

