-- Trigram indexes for the site list text filter (pg_trgm ships with PostgreSQL contrib).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateEnum
CREATE TYPE "AreaLevel" AS ENUM ('PROVINCE', 'CITY');

-- CreateEnum
CREATE TYPE "Liveness" AS ENUM ('UNKNOWN', 'ALIVE', 'DEAD');

-- CreateEnum
CREATE TYPE "ProbeError" AS ENUM ('DNS_FAILURE', 'CONNECTION_REFUSED', 'CONNECTION_RESET', 'TIMEOUT', 'TLS_ERROR', 'TOO_MANY_REDIRECTS', 'HTTP_4XX', 'HTTP_5XX', 'BLOCKED_ADDRESS', 'NETWORK_ERROR');

-- CreateEnum
CREATE TYPE "RiskLevel" AS ENUM ('NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL');

-- CreateEnum
CREATE TYPE "RelatedDomainSource" AS ENUM ('PROBE', 'SCANNER');

-- CreateTable
CREATE TABLE "Area" (
    "code" VARCHAR(12) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "level" "AreaLevel" NOT NULL,
    "parentCode" VARCHAR(12),

    CONSTRAINT "Area_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Site" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "domain" VARCHAR(253) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "areaCode" VARCHAR(12),
    "ownerId" INTEGER,
    "liveness" "Liveness" NOT NULL DEFAULT 'UNKNOWN',
    "httpStatus" INTEGER,
    "title" VARCHAR(500),
    "ip" VARCHAR(64),
    "server" VARCHAR(200),
    "responseTimeMs" INTEGER,
    "probeError" "ProbeError",
    "lastProbedAt" TIMESTAMP(3),
    "securityScore" INTEGER,
    "riskLevel" "RiskLevel" NOT NULL DEFAULT 'NONE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SiteTag" (
    "siteId" INTEGER NOT NULL,
    "tagId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SiteTag_pkey" PRIMARY KEY ("siteId","tagId")
);

-- CreateTable
CREATE TABLE "RelatedDomain" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "hostname" VARCHAR(253) NOT NULL,
    "source" "RelatedDomainSource" NOT NULL,
    "firstSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RelatedDomain_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Area_parentCode_idx" ON "Area"("parentCode");

-- CreateIndex
CREATE INDEX "Site_organizationId_id_idx" ON "Site"("organizationId", "id");

-- CreateIndex
CREATE INDEX "Site_organizationId_name_idx" ON "Site"("organizationId", "name");

-- CreateIndex
CREATE INDEX "Site_organizationId_areaCode_idx" ON "Site"("organizationId", "areaCode");

-- CreateIndex
CREATE INDEX "Site_organizationId_liveness_idx" ON "Site"("organizationId", "liveness");

-- CreateIndex
CREATE INDEX "Site_organizationId_riskLevel_idx" ON "Site"("organizationId", "riskLevel");

-- CreateIndex
CREATE INDEX "Site_areaCode_idx" ON "Site"("areaCode");

-- CreateIndex
CREATE INDEX "Site_lastProbedAt_idx" ON "Site"("lastProbedAt");

-- CreateIndex
CREATE INDEX "Site_ownerId_idx" ON "Site"("ownerId");

-- CreateIndex
CREATE INDEX "Site_name_trgm_idx" ON "Site" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Site_url_trgm_idx" ON "Site" USING GIN ("url" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "Site_organizationId_url_key" ON "Site"("organizationId", "url");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_organizationId_name_key" ON "Tag"("organizationId", "name");

-- CreateIndex
CREATE INDEX "SiteTag_tagId_siteId_idx" ON "SiteTag"("tagId", "siteId");

-- CreateIndex
CREATE INDEX "RelatedDomain_hostname_idx" ON "RelatedDomain"("hostname");

-- CreateIndex
CREATE UNIQUE INDEX "RelatedDomain_siteId_hostname_key" ON "RelatedDomain"("siteId", "hostname");

-- AddForeignKey
ALTER TABLE "Area" ADD CONSTRAINT "Area_parentCode_fkey" FOREIGN KEY ("parentCode") REFERENCES "Area"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Site" ADD CONSTRAINT "Site_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Site" ADD CONSTRAINT "Site_areaCode_fkey" FOREIGN KEY ("areaCode") REFERENCES "Area"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Site" ADD CONSTRAINT "Site_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteTag" ADD CONSTRAINT "SiteTag_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteTag" ADD CONSTRAINT "SiteTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RelatedDomain" ADD CONSTRAINT "RelatedDomain_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

