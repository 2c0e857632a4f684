-- AlterEnum
ALTER TYPE "NotificationType" ADD VALUE 'note_shared';

