-- CreateEnum
CREATE TYPE "IngestBatchKind" AS ENUM ('FINDINGS', 'FILE', 'COMPLETE');

-- CreateEnum
CREATE TYPE "IngestBatchStatus" AS ENUM ('RECEIVED', 'PROCESSING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "TaskKind" AS ENUM ('VULN_SCAN', 'BASELINE');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "VulnLevel" AS ENUM ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO');

-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('OPEN', 'FIXED', 'IGNORED', 'FALSE_POSITIVE');

-- CreateTable
CREATE TABLE "IngestBatch" (
    "id" UUID NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "apiKeyId" INTEGER,
    "taskId" INTEGER NOT NULL,
    "kind" "IngestBatchKind" NOT NULL,
    "seq" INTEGER,
    "idempotencyKey" VARCHAR(200),
    "payload" JSON,
    "format" VARCHAR(20),
    "fileBytes" BIGINT,
    "status" "IngestBatchStatus" NOT NULL DEFAULT 'RECEIVED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "received" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "closed" INTEGER NOT NULL DEFAULT 0,
    "rejections" JSONB NOT NULL DEFAULT '[]',
    "error" VARCHAR(2000),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "IngestBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IngestFileChunk" (
    "batchId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "IngestFileChunk_pkey" PRIMARY KEY ("batchId","seq")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "kind" "TaskKind" NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'PENDING',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "error" VARCHAR(2000),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "scanner" VARCHAR(64),
    "claimedByKeyId" INTEGER,
    "leaseExpiresAt" TIMESTAMP(3),
    "createdById" INTEGER,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskSite" (
    "taskId" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,

    CONSTRAINT "TaskSite_pkey" PRIMARY KEY ("taskId","siteId")
);

-- CreateTable
CREATE TABLE "VulnEntry" (
    "id" SERIAL NOT NULL,
    "key" VARCHAR(300) NOT NULL,
    "scanner" VARCHAR(64),
    "checkId" VARCHAR(200),
    "name" VARCHAR(300) NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "kind" VARCHAR(100),
    "description" TEXT,
    "solution" TEXT,
    "references" TEXT[],
    "cve" TEXT[],
    "cwe" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VulnEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,
    "entryId" INTEGER NOT NULL,
    "taskId" INTEGER,
    "lastTaskId" INTEGER,
    "scanner" VARCHAR(64) NOT NULL,
    "url" VARCHAR(4096),
    "parameter" VARCHAR(500),
    "evidence" TEXT,
    "level" "VulnLevel" NOT NULL,
    "status" "FindingStatus" NOT NULL DEFAULT 'OPEN',
    "fingerprint" CHAR(64) NOT NULL,
    "fingerprintVersion" INTEGER NOT NULL DEFAULT 1,
    "location" VARCHAR(4096),
    "firstSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "statusChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trashedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FindingHistory" (
    "id" SERIAL NOT NULL,
    "findingId" INTEGER NOT NULL,
    "fromStatus" "FindingStatus",
    "toStatus" "FindingStatus" NOT NULL,
    "userId" INTEGER,
    "apiKeyId" INTEGER,
    "taskId" INTEGER,
    "reason" VARCHAR(1000) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FindingHistory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IngestBatch_status_createdAt_idx" ON "IngestBatch"("status", "createdAt");

-- CreateIndex
CREATE INDEX "IngestBatch_taskId_kind_status_idx" ON "IngestBatch"("taskId", "kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "IngestBatch_organizationId_idempotencyKey_key" ON "IngestBatch"("organizationId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Task_organizationId_id_idx" ON "Task"("organizationId", "id");

-- CreateIndex
CREATE INDEX "Task_organizationId_status_idx" ON "Task"("organizationId", "status");

-- CreateIndex
CREATE INDEX "Task_status_leaseExpiresAt_idx" ON "Task"("status", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "TaskSite_siteId_idx" ON "TaskSite"("siteId");

-- CreateIndex
CREATE UNIQUE INDEX "VulnEntry_key_key" ON "VulnEntry"("key");

-- CreateIndex
CREATE INDEX "VulnEntry_name_idx" ON "VulnEntry"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Finding_fingerprint_key" ON "Finding"("fingerprint");

-- CreateIndex
CREATE INDEX "Finding_organizationId_id_idx" ON "Finding"("organizationId", "id");

-- CreateIndex
CREATE INDEX "Finding_siteId_status_idx" ON "Finding"("siteId", "status");

-- CreateIndex
CREATE INDEX "Finding_taskId_idx" ON "Finding"("taskId");

-- CreateIndex
CREATE INDEX "FindingHistory_findingId_id_idx" ON "FindingHistory"("findingId", "id");

-- AddForeignKey
ALTER TABLE "IngestBatch" ADD CONSTRAINT "IngestBatch_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IngestBatch" ADD CONSTRAINT "IngestBatch_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IngestFileChunk" ADD CONSTRAINT "IngestFileChunk_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "IngestBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskSite" ADD CONSTRAINT "TaskSite_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskSite" ADD CONSTRAINT "TaskSite_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "VulnEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FindingHistory" ADD CONSTRAINT "FindingHistory_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FindingHistory" ADD CONSTRAINT "FindingHistory_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Room on each page for HOT updates: re-seen findings change no indexed column.
ALTER TABLE "Finding" SET (fillfactor = 70);
