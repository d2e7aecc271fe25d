using BudgetActors.Domain;

namespace BudgetActors.Domain.Tests;

public class ApiKeysTests
{
    [Fact]
    public void A_key_names_its_tenant_and_verifies_only_against_its_own_hash()
    {
        var key = ApiKeys.Create("acme:eu@prod", "key-1");

        Assert.True(ApiKeys.TryParse(key, out var tenant, out var keyId));
        Assert.Equal("acme:eu@prod", tenant);
        Assert.Equal("key-1", keyId);
        Assert.True(ApiKeys.Verify(key, ApiKeys.Hash(key)));
        Assert.False(ApiKeys.Verify(key + "x", ApiKeys.Hash(key)));
        Assert.False(ApiKeys.Verify(key, ApiKeys.Hash(ApiKeys.Create("acme:eu@prod", "key-1"))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bak")]
    [InlineData("bak.!!.key.secret")]
    [InlineData("xyz.YWNtZQ.key.secret")]
    [InlineData("bak.YWNtZQ..secret")]
    public void Anything_else_is_not_a_key(string text)
    {
        Assert.False(ApiKeys.TryParse(text, out _, out _));
    }

    [Fact]
    public void A_stored_hash_that_is_not_hex_never_verifies()
    {
        Assert.False(ApiKeys.Verify("bak.YWNtZQ.k.s", "not-a-hash"));
    }
}
