namespace OpenBanking.Portal.Account;

/// <summary>The confirmation of an erasure: the person types their own address, so it is never a slip of the mouse.</summary>
public sealed class DeleteAccountForm
{
    public string? Confirmation { get; set; }
}
