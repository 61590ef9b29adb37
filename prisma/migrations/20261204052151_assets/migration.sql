-- AlterEnum (syncAssets chunks)
ALTER TYPE "IngestBatchKind" ADD VALUE 'ASSETS';

-- CreateEnum
CREATE TYPE "AssetLiveness" AS ENUM ('UNKNOWN', 'UP', 'DOWN');

-- CreateEnum
CREATE TYPE "PortProtocol" AS ENUM ('TCP', 'UDP');

-- CreateEnum
CREATE TYPE "PortState" AS ENUM ('OPEN', 'CLOSED', 'FILTERED');

-- CreateEnum
CREATE TYPE "ExposureStatus" AS ENUM ('OPEN', 'CLOSED');

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

-- CreateTable
CREATE TABLE "MonitoredPort" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER,
    "port" INTEGER NOT NULL,
    "protocol" "PortProtocol" NOT NULL,
    "riskLevel" "RiskLevel" NOT NULL,
    "note" VARCHAR(500),
    "tagIds" INTEGER[],
    "siteIds" INTEGER[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonitoredPort_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Exposure" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "assetId" INTEGER NOT NULL,
    "servicePortId" INTEGER NOT NULL,
    "monitoredPortId" INTEGER,
    "port" INTEGER NOT NULL,
    "protocol" "PortProtocol" NOT NULL,
    "service" VARCHAR(100),
    "riskLevel" "RiskLevel" NOT NULL,
    "status" "ExposureStatus" NOT NULL DEFAULT 'OPEN',
    "openedAt" TIMESTAMP(3) NOT NULL,
    "lastSeen" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "closeReason" VARCHAR(300),
    "eventQueuedAt" TIMESTAMP(3),

    CONSTRAINT "Exposure_pkey" PRIMARY KEY ("id")
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

-- CreateIndex
CREATE INDEX "MonitoredPort_protocol_port_idx" ON "MonitoredPort"("protocol", "port");

-- CreateIndex
CREATE UNIQUE INDEX "MonitoredPort_organizationId_protocol_port_key" ON "MonitoredPort"("organizationId", "protocol", "port");

-- CreateIndex
CREATE INDEX "Exposure_organizationId_status_riskLevel_idx" ON "Exposure"("organizationId", "status", "riskLevel");

-- CreateIndex
CREATE INDEX "Exposure_servicePortId_status_idx" ON "Exposure"("servicePortId", "status");

-- CreateIndex
CREATE INDEX "Exposure_assetId_idx" ON "Exposure"("assetId");

-- CreateIndex
CREATE INDEX "Exposure_eventQueuedAt_id_idx" ON "Exposure"("eventQueuedAt", "id");

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

-- AddForeignKey
ALTER TABLE "MonitoredPort" ADD CONSTRAINT "MonitoredPort_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exposure" ADD CONSTRAINT "Exposure_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exposure" ADD CONSTRAINT "Exposure_servicePortId_fkey" FOREIGN KEY ("servicePortId") REFERENCES "ServicePort"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exposure" ADD CONSTRAINT "Exposure_monitoredPortId_fkey" FOREIGN KEY ("monitoredPortId") REFERENCES "MonitoredPort"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Re-seen ports and assets change no indexed column: room on the page keeps them HOT updates.
ALTER TABLE "ServicePort" SET (fillfactor = 70);
ALTER TABLE "Asset" SET (fillfactor = 80);

-- Global default monitored ports (organizationId NULL): remote access, file sharing, and data
-- stores or control planes that are often exposed without authentication.
INSERT INTO "MonitoredPort" ("organizationId", port, protocol, "riskLevel", note, "tagIds", "siteIds", "updatedAt") VALUES
  (NULL, 21, 'TCP', 'MEDIUM', 'FTP: clear-text credentials', '{}', '{}', now()),
  (NULL, 23, 'TCP', 'HIGH', 'Telnet: clear-text remote shell', '{}', '{}', now()),
  (NULL, 135, 'TCP', 'MEDIUM', 'Microsoft RPC', '{}', '{}', now()),
  (NULL, 139, 'TCP', 'MEDIUM', 'NetBIOS session service', '{}', '{}', now()),
  (NULL, 445, 'TCP', 'HIGH', 'SMB file sharing', '{}', '{}', now()),
  (NULL, 1433, 'TCP', 'HIGH', 'Microsoft SQL Server', '{}', '{}', now()),
  (NULL, 1521, 'TCP', 'HIGH', 'Oracle database listener', '{}', '{}', now()),
  (NULL, 2181, 'TCP', 'MEDIUM', 'ZooKeeper', '{}', '{}', now()),
  (NULL, 2375, 'TCP', 'CRITICAL', 'Docker API without TLS', '{}', '{}', now()),
  (NULL, 3306, 'TCP', 'HIGH', 'MySQL / MariaDB', '{}', '{}', now()),
  (NULL, 3389, 'TCP', 'HIGH', 'RDP: Windows remote desktop', '{}', '{}', now()),
  (NULL, 5432, 'TCP', 'HIGH', 'PostgreSQL', '{}', '{}', now()),
  (NULL, 5601, 'TCP', 'MEDIUM', 'Kibana', '{}', '{}', now()),
  (NULL, 5900, 'TCP', 'HIGH', 'VNC remote desktop', '{}', '{}', now()),
  (NULL, 5984, 'TCP', 'HIGH', 'CouchDB', '{}', '{}', now()),
  (NULL, 6379, 'TCP', 'CRITICAL', 'Redis (often without authentication)', '{}', '{}', now()),
  (NULL, 8500, 'TCP', 'MEDIUM', 'Consul HTTP API', '{}', '{}', now()),
  (NULL, 9092, 'TCP', 'MEDIUM', 'Kafka', '{}', '{}', now()),
  (NULL, 9200, 'TCP', 'HIGH', 'Elasticsearch HTTP API', '{}', '{}', now()),
  (NULL, 10250, 'TCP', 'CRITICAL', 'Kubernetes kubelet API', '{}', '{}', now()),
  (NULL, 11211, 'TCP', 'HIGH', 'Memcached', '{}', '{}', now()),
  (NULL, 27017, 'TCP', 'CRITICAL', 'MongoDB', '{}', '{}', now()),
  (NULL, 161, 'UDP', 'MEDIUM', 'SNMP', '{}', '{}', now()),
  (NULL, 11211, 'UDP', 'HIGH', 'Memcached over UDP (amplification)', '{}', '{}', now());

-- CreateTable
CREATE TABLE "AssetStat" (
    "organizationId" INTEGER NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "AssetStat_pkey" PRIMARY KEY ("organizationId","kind","key")
);

-- CreateTable
CREATE TABLE "AssetStatDirty" (
    "organizationId" INTEGER NOT NULL,
    "xid" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssetStatDirty_pkey" PRIMARY KEY ("organizationId","xid")
);

-- CreateIndex
CREATE INDEX "AssetStat_organizationId_kind_count_idx" ON "AssetStat"("organizationId", "kind", "count" DESC);


-- Statistics: statement-level triggers mark the organisations whose asset statistics are stale,
-- one row per writing transaction (no row is shared by two writers: no lock contention).
CREATE FUNCTION asset_stat_dirty_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AssetStatDirty" ("organizationId", xid)
  SELECT DISTINCT "organizationId", txid_current() FROM new_rows ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION asset_stat_dirty_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AssetStatDirty" ("organizationId", xid)
  SELECT DISTINCT "organizationId", txid_current() FROM old_rows ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Site links carry no organisation: it is the asset's.
CREATE FUNCTION asset_stat_dirty_link_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AssetStatDirty" ("organizationId", xid)
  SELECT DISTINCT a."organizationId", txid_current() FROM new_rows n JOIN "Asset" a ON a.id = n."assetId" ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION asset_stat_dirty_link_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AssetStatDirty" ("organizationId", xid)
  SELECT DISTINCT a."organizationId", txid_current() FROM old_rows o JOIN "Asset" a ON a.id = o."assetId" ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Findings count for assets only in organisations that have assets.
CREATE FUNCTION asset_stat_dirty_finding_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AssetStatDirty" ("organizationId", xid)
  SELECT o.org, txid_current() FROM (SELECT DISTINCT "organizationId" AS org FROM new_rows) o
  WHERE EXISTS (SELECT 1 FROM "Asset" a WHERE a."organizationId" = o.org) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION asset_stat_dirty_finding_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AssetStatDirty" ("organizationId", xid)
  SELECT o.org, txid_current() FROM (SELECT DISTINCT "organizationId" AS org FROM old_rows) o
  WHERE EXISTS (SELECT 1 FROM "Asset" a WHERE a."organizationId" = o.org) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER asset_stat_ins AFTER INSERT ON "Asset" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_new();
CREATE TRIGGER asset_stat_upd AFTER UPDATE ON "Asset" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_new();
CREATE TRIGGER asset_stat_del AFTER DELETE ON "Asset" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_old();
CREATE TRIGGER asset_stat_ins AFTER INSERT ON "ServicePort" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_new();
CREATE TRIGGER asset_stat_upd AFTER UPDATE ON "ServicePort" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_new();
CREATE TRIGGER asset_stat_del AFTER DELETE ON "ServicePort" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_old();
CREATE TRIGGER asset_stat_ins AFTER INSERT ON "Exposure" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_new();
CREATE TRIGGER asset_stat_upd AFTER UPDATE ON "Exposure" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_new();
CREATE TRIGGER asset_stat_del AFTER DELETE ON "Exposure" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_old();
CREATE TRIGGER asset_stat_ins AFTER INSERT ON "AssetSite" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_link_new();
CREATE TRIGGER asset_stat_del AFTER DELETE ON "AssetSite" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_link_old();
CREATE TRIGGER asset_stat_ins AFTER INSERT ON "Finding" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_finding_new();
CREATE TRIGGER asset_stat_upd AFTER UPDATE ON "Finding" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_finding_new();
CREATE TRIGGER asset_stat_del AFTER DELETE ON "Finding" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_stat_dirty_finding_old();
