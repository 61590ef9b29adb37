-- CreateTable
CREATE TABLE "SmsOutbox" (
    "id" SERIAL NOT NULL,
    "phone" VARCHAR(20) NOT NULL,
    "purpose" VARCHAR(30) NOT NULL,
    "body" VARCHAR(500) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SmsOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SmsOutbox_phone_createdAt_idx" ON "SmsOutbox"("phone", "createdAt");

