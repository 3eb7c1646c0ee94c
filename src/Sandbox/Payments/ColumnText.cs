namespace OpenBanking.Sandbox.Payments;

/// <summary>Text cut to a column's length, marked with an ellipsis where it was cut.</summary>
internal static class ColumnText
{
    public static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";
}
