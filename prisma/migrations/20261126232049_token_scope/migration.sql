-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "scope" TEXT;


-- Hand-written: the scopes lib/auth/policy.ts knows; any other value would be a token that the
-- policy cannot judge.
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_scope_known" CHECK (scope IS NULL OR scope IN ('credential-status:read', 'metrics:read'));
