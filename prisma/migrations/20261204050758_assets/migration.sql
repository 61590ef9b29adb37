-- CreateEnum
CREATE TYPE "AssetLiveness" AS ENUM ('UNKNOWN', 'UP', 'DOWN');

-- CreateEnum
CREATE TYPE "PortProtocol" AS ENUM ('TCP', 'UDP');

-- CreateEnum
CREATE TYPE "PortState" AS ENUM ('OPEN', 'CLOSED', 'FILTERED');

-- CreateTable
CREATE TABLE "Asset" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "ip" INET NOT NULL,
    "hostnames" TEXT[],
    "osName" VARCHAR(200),
    "osFamily" VARCHAR(100),
    "osAccuracy" INTEGER,
    "liveness" "AssetLiveness" NOT NULL DEFAULT 'UNKNOWN',
    "firstSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Asset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssetSite" (
    "assetId" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssetSite_pkey" PRIMARY KEY ("assetId","siteId")
);

-- CreateTable
CREATE TABLE "ServicePort" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "assetId" INTEGER NOT NULL,
    "port" INTEGER NOT NULL,
    "protocol" "PortProtocol" NOT NULL,
    "state" "PortState" NOT NULL,
    "service" VARCHAR(100),
    "product" VARCHAR(200),
    "version" VARCHAR(200),
    "extraInfo" VARCHAR(300),
    "cpes" TEXT[],
    "scanner" VARCHAR(64) NOT NULL,
    "lastTaskId" INTEGER,
    "firstSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stateChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServicePort_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServicePortHistory" (
    "id" SERIAL NOT NULL,
    "servicePortId" INTEGER NOT NULL,
    "fromState" "PortState" NOT NULL,
    "toState" "PortState" NOT NULL,
    "taskId" INTEGER,
    "reason" VARCHAR(500) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServicePortHistory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Asset_organizationId_id_idx" ON "Asset"("organizationId", "id");

-- CreateIndex
CREATE INDEX "Asset_organizationId_liveness_idx" ON "Asset"("organizationId", "liveness");

-- CreateIndex
CREATE INDEX "Asset_ip_idx" ON "Asset" USING GIST ("ip" inet_ops);

-- CreateIndex
CREATE UNIQUE INDEX "Asset_organizationId_ip_key" ON "Asset"("organizationId", "ip");

-- CreateIndex
CREATE INDEX "AssetSite_siteId_idx" ON "AssetSite"("siteId");

-- CreateIndex
CREATE INDEX "ServicePort_organizationId_state_port_idx" ON "ServicePort"("organizationId", "state", "port");

-- CreateIndex
CREATE INDEX "ServicePort_organizationId_service_idx" ON "ServicePort"("organizationId", "service");

-- CreateIndex
CREATE UNIQUE INDEX "ServicePort_assetId_protocol_port_key" ON "ServicePort"("assetId", "protocol", "port");

-- CreateIndex
CREATE INDEX "ServicePortHistory_servicePortId_id_idx" ON "ServicePortHistory"("servicePortId", "id");

-- AddForeignKey
ALTER TABLE "Asset" ADD CONSTRAINT "Asset_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssetSite" ADD CONSTRAINT "AssetSite_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssetSite" ADD CONSTRAINT "AssetSite_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServicePort" ADD CONSTRAINT "ServicePort_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServicePortHistory" ADD CONSTRAINT "ServicePortHistory_servicePortId_fkey" FOREIGN KEY ("servicePortId") REFERENCES "ServicePort"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Re-seen ports and assets change no indexed column: room on the page keeps them HOT updates.
ALTER TABLE "ServicePort" SET (fillfactor = 70);
ALTER TABLE "Asset" SET (fillfactor = 80);
