-- Run by the db-init service of docker-compose.yml (sqlcmd as sa, -v <SERVICE>_DB_PASSWORD=...) before any
-- service starts. Each service gets its own database and its own login, whose user may change only its own
-- database's schema and data: db_ddladmin (the EF Core migrations), db_datareader, db_datawriter — no server
-- role, no db_owner, nothing in another service's database. Idempotent: a re-run resets the passwords to .env's.
-- Passwords must satisfy SQL Server's policy and contain no single quote.
:on error exit
SET NOCOUNT ON;
GO

-- Identity
IF DB_ID(N'OpenBankingIdentity') IS NULL
    CREATE DATABASE [OpenBankingIdentity];
GO
IF SUSER_ID(N'openbanking_identity') IS NULL
    CREATE LOGIN [openbanking_identity] WITH PASSWORD = N'$(IDENTITY_DB_PASSWORD)', DEFAULT_DATABASE = [OpenBankingIdentity], CHECK_POLICY = ON;
ELSE
    ALTER LOGIN [openbanking_identity] WITH PASSWORD = N'$(IDENTITY_DB_PASSWORD)';
GO
USE [OpenBankingIdentity];
IF USER_ID(N'openbanking_identity') IS NULL
    CREATE USER [openbanking_identity] FOR LOGIN [openbanking_identity];
ALTER ROLE db_ddladmin ADD MEMBER [openbanking_identity];
ALTER ROLE db_datareader ADD MEMBER [openbanking_identity];
ALTER ROLE db_datawriter ADD MEMBER [openbanking_identity];
GO
USE [master];
GO

-- Sandbox
IF DB_ID(N'OpenBankingSandbox') IS NULL
    CREATE DATABASE [OpenBankingSandbox];
GO
IF SUSER_ID(N'openbanking_sandbox') IS NULL
    CREATE LOGIN [openbanking_sandbox] WITH PASSWORD = N'$(SANDBOX_DB_PASSWORD)', DEFAULT_DATABASE = [OpenBankingSandbox], CHECK_POLICY = ON;
ELSE
    ALTER LOGIN [openbanking_sandbox] WITH PASSWORD = N'$(SANDBOX_DB_PASSWORD)';
GO
USE [OpenBankingSandbox];
IF USER_ID(N'openbanking_sandbox') IS NULL
    CREATE USER [openbanking_sandbox] FOR LOGIN [openbanking_sandbox];
ALTER ROLE db_ddladmin ADD MEMBER [openbanking_sandbox];
ALTER ROLE db_datareader ADD MEMBER [openbanking_sandbox];
ALTER ROLE db_datawriter ADD MEMBER [openbanking_sandbox];
GO
USE [master];
GO

-- Gateway
IF DB_ID(N'OpenBankingGateway') IS NULL
    CREATE DATABASE [OpenBankingGateway];
GO
IF SUSER_ID(N'openbanking_gateway') IS NULL
    CREATE LOGIN [openbanking_gateway] WITH PASSWORD = N'$(GATEWAY_DB_PASSWORD)', DEFAULT_DATABASE = [OpenBankingGateway], CHECK_POLICY = ON;
ELSE
    ALTER LOGIN [openbanking_gateway] WITH PASSWORD = N'$(GATEWAY_DB_PASSWORD)';
GO
USE [OpenBankingGateway];
IF USER_ID(N'openbanking_gateway') IS NULL
    CREATE USER [openbanking_gateway] FOR LOGIN [openbanking_gateway];
ALTER ROLE db_ddladmin ADD MEMBER [openbanking_gateway];
ALTER ROLE db_datareader ADD MEMBER [openbanking_gateway];
ALTER ROLE db_datawriter ADD MEMBER [openbanking_gateway];
GO
USE [master];
GO

-- Portal
IF DB_ID(N'OpenBankingPortal') IS NULL
    CREATE DATABASE [OpenBankingPortal];
GO
IF SUSER_ID(N'openbanking_portal') IS NULL
    CREATE LOGIN [openbanking_portal] WITH PASSWORD = N'$(PORTAL_DB_PASSWORD)', DEFAULT_DATABASE = [OpenBankingPortal], CHECK_POLICY = ON;
ELSE
    ALTER LOGIN [openbanking_portal] WITH PASSWORD = N'$(PORTAL_DB_PASSWORD)';
GO
USE [OpenBankingPortal];
IF USER_ID(N'openbanking_portal') IS NULL
    CREATE USER [openbanking_portal] FOR LOGIN [openbanking_portal];
ALTER ROLE db_ddladmin ADD MEMBER [openbanking_portal];
ALTER ROLE db_datareader ADD MEMBER [openbanking_portal];
ALTER ROLE db_datawriter ADD MEMBER [openbanking_portal];
GO
USE [master];
GO
