using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.International;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

// Rates are decimals with 6 places (SQL Server decimal(18,6); SQLite keeps them as text, so they are never compared or
// ordered in SQL).
internal sealed class InternationalPaymentConsentConfiguration : IEntityTypeConfiguration<InternationalPaymentConsent>
{
    public void Configure(EntityTypeBuilder<InternationalPaymentConsent> builder)
    {
        builder.ToTable("InternationalPaymentConsents");
        builder.Property(c => c.Id).HasMaxLength(128);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.ApiVersion).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.ReadRefundAccount).HasMaxLength(5);
        builder.Property(c => c.InstructedCurrency).HasMaxLength(3);
        builder.Property(c => c.CurrencyOfTransfer).HasMaxLength(3);
        builder.Property(c => c.DebtorCurrency).HasMaxLength(3);
        builder.Property(c => c.ChargeBearer).HasMaxLength(32);
        builder.Property(c => c.LocalInstrument).HasMaxLength(50);
        builder.Property(c => c.InstructionPriority).HasMaxLength(10);
        builder.Property(c => c.DestinationCountryCode).HasMaxLength(2);
        builder.Property(c => c.CreditorName).HasMaxLength(350);
        builder.Property(c => c.CreditorSchemeName).HasMaxLength(40);
        builder.Property(c => c.CreditorIdentification).HasMaxLength(256);
        builder.Property(c => c.CreditorAgentSchemeName).HasMaxLength(40);
        builder.Property(c => c.CreditorAgentIdentification).HasMaxLength(35);
        builder.Property(c => c.Reference).HasMaxLength(140);
        builder.Property(c => c.DebtorSchemeName).HasMaxLength(40);
        builder.Property(c => c.DebtorIdentification).HasMaxLength(256);
        builder.Property(c => c.CustomerId).HasMaxLength(40);
        builder.Property(c => c.DebtorAccountId).HasMaxLength(40);
        builder.Property(c => c.RateType).HasMaxLength(10);
        builder.Property(c => c.AgreedRate).HasPrecision(18, 6);
        builder.Property(c => c.ContractId).HasMaxLength(256);
        builder.Property(c => c.QuotedRate).HasPrecision(18, 6);
        builder.Property(c => c.QuotedMidRate).HasPrecision(18, 6);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.Kind);
        builder.HasIndex(c => new { c.TenantId, c.ClientId });
        builder.HasIndex(c => new { c.TenantId, c.CustomerId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InternationalTransferConfiguration : IEntityTypeConfiguration<InternationalTransfer>
{
    public void Configure(EntityTypeBuilder<InternationalTransfer> builder)
    {
        builder.ToTable("InternationalTransfers");
        builder.HasKey(t => t.PaymentId);
        builder.Property(t => t.PaymentId).HasMaxLength(40);
        builder.Property(t => t.ConsentId).HasMaxLength(128);
        builder.Property(t => t.DebitCurrency).HasMaxLength(3);
        builder.Property(t => t.TransferCurrency).HasMaxLength(3);
        builder.Property(t => t.RateType).HasMaxLength(10);
        builder.Property(t => t.ExchangeRate).HasPrecision(18, 6);
        builder.Property(t => t.MidRate).HasPrecision(18, 6);
        builder.Property(t => t.ContractId).HasMaxLength(256);
        builder.Property(t => t.ChargeBearer).HasMaxLength(32);
        builder.Property(t => t.DestinationCountryCode).HasMaxLength(2);
        // A consent makes at most one payment: the unique ConsentId index of DomesticPayments is filtered to Domestic.
        builder.HasIndex(t => t.ConsentId).IsUnique();
        builder.HasIndex(t => t.TenantId);
        builder.HasOne<DomesticPayment>().WithOne().HasForeignKey<InternationalTransfer>(t => t.PaymentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FxContractConfiguration : IEntityTypeConfiguration<FxContract>
{
    public void Configure(EntityTypeBuilder<FxContract> builder)
    {
        builder.ToTable("FxContracts");
        builder.Property(c => c.Id).HasMaxLength(35);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.UnitCurrency).HasMaxLength(3);
        builder.Property(c => c.QuoteCurrency).HasMaxLength(3);
        builder.Property(c => c.Side).HasConversion<string>().HasMaxLength(4);
        builder.Property(c => c.Rate).HasPrecision(18, 6);
        builder.Property(c => c.MidRate).HasPrecision(18, 6);
        builder.Property(c => c.NotionalCurrency).HasMaxLength(3);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => new { c.TenantId, c.ClientId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
