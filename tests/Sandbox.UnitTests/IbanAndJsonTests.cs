using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.UnitTests;

public sealed class IbanAndJsonTests
{
    [Theory]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("GB82WEST12345698765433", false)]
    [InlineData("gb82WEST12345698765432", false)]
    [InlineData("DE89370400440532013000", true)]
    public void Iban_IsCheckedWithMod97(string iban, bool valid) => Assert.Equal(valid, ObieValidator.IsIban(iban));

    [Theory]
    [InlineData("{\"a\":1,\"b\":{\"c\":\"x\"}}", "{\"b\":{\"c\":\"x\"},\"a\":1}", null)]
    [InlineData("{\"a\":\"10.00\"}", "{\"a\":\"10.0\"}", "$.a")]
    [InlineData("{\"a\":1}", "{\"a\":1,\"z\":2}", "$.z")]
    [InlineData("{\"a\":[1,2]}", "{\"a\":[2,1]}", "$.a[0]")]
    [InlineData("{\"a\":{\"b\":1}}", "{}", "$.a")]
    public void JsonValues_AreComparedAsValues(string expected, string actual, string? difference)
    {
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        Assert.Equal(difference, JsonValues.FirstDifference(a.RootElement, b.RootElement, "$"));
    }
}
