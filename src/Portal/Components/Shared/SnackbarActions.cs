using MudBlazor;
using OpenBanking.Portal.Partners;

namespace OpenBanking.Portal.Components.Shared;

/// <summary>How a page runs a button's action: the outcome in a snackbar, the Portal's refusal shown as it is written.</summary>
public static class SnackbarActions
{
    /// <summary>
    /// Runs <paramref name="action"/>; on success shows <paramref name="success"/> (if any), on a refusal its message.
    /// Anything else is a fault and goes to the error boundary. Says whether the action succeeded.
    /// </summary>
    public static async Task<bool> RunAsync(this ISnackbar snackbar, Func<Task> action, string? success = null)
    {
        try
        {
            await action();
        }
        catch (PortalRefusalException refusal)
        {
            snackbar.Add(refusal.Message, Severity.Error);
            return false;
        }

        if (success is not null)
        {
            snackbar.Add(success, Severity.Success);
        }

        return true;
    }
}
