-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "autoCreateSites" BOOLEAN NOT NULL DEFAULT false;

