using System.Text.Json;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>Spend and virtual keys through <see cref="LiteLlmProxyClient"/>, against the fake proxy's LiteLLM shapes.</summary>
public sealed class ProxyAdminTests
{
    private static readonly DateOnly Day1 = new(2026, 11, 30);
    private static readonly DateOnly Day2 = new(2026, 12, 1);

    [Fact]
    public async Task Daily_activity_reads_every_page_and_merges_a_day_split_across_pages()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        proxy.MaxPageSize = 2; // five rows: three pages, day 2 split between pages 2 and 3
        proxy.Spend.Add(new FakeSpendRow(Day1, "claude-fast", "anthropic/claude-haiku", "h1", 0.10m, 100, 10));
        proxy.Spend.Add(new FakeSpendRow(Day1, "openai-fast", "openai/gpt-4o-mini", "h2", 0.05m, 50, 5));
        proxy.Spend.Add(new FakeSpendRow(Day2, "claude-fast", "anthropic/claude-haiku", "h1", 0.20m, 200, 20));
        proxy.Spend.Add(new FakeSpendRow(Day2, "claude-fast", "anthropic/claude-haiku", "h2", 0.30m, 300, 30));
        proxy.Spend.Add(new FakeSpendRow(Day2, "openai-fast", "openai/gpt-4o-mini", "h2", 0.01m, 10, 1));
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var days = await harness.Proxy.GetDailyActivityAsync(Day1, Day2);

        Assert.Equal(3, proxy.Requests.Count(r => r.Path == "/user/daily/activity"));
        Assert.Equal([Day1, Day2], days.Select(d => d.Date));
        Assert.Equal(0.15m, days[0].Total.SpendUsd);
        Assert.Equal(0.51m, days[1].Total.SpendUsd);
        Assert.Equal(3, days[1].Total.Requests);
        Assert.Equal(0.50m, days[1].ByModelGroup["claude-fast"].SpendUsd);
        Assert.Equal(500, days[1].ByModelGroup["claude-fast"].PromptTokens);
        Assert.Equal(0.31m, days[1].ByKey["h2"].SpendUsd);
        Assert.Equal(0.01m, days[1].ByModel["openai/gpt-4o-mini"].SpendUsd);
        Assert.All(proxy.Requests, r => Assert.Equal("Bearer " + TestData.MasterKey, r.Header("Authorization")));
        Assert.Contains("start_date=2026-11-30", proxy.Requests[0].Query, StringComparison.Ordinal);
        Assert.Contains("page=3", proxy.Requests[2].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_go_as_query_parameters_and_a_virtual_key_only_as_its_hash()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        const string Key = "sk-virtual-key-for-filter-0001";
        proxy.Spend.Add(new FakeSpendRow(Day1, "claude-fast", "m", FakeLiteLlmProxy.HashKey(Key), 0.10m, 1, 1));
        proxy.Spend.Add(new FakeSpendRow(Day1, "claude-fast", "m", "other", 0.40m, 1, 1));
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var days = await harness.Proxy.GetDailyActivityAsync(Day1, Day1, new LiteLlmSpendFilter { VirtualKey = Key, Model = "claude-fast", UserId = "u-1" });

        Assert.Equal(0.10m, Assert.Single(days).Total.SpendUsd);
        var query = Assert.Single(proxy.Requests).Query;
        Assert.Contains("api_key=" + FakeLiteLlmProxy.HashKey(Key), query, StringComparison.Ordinal);
        Assert.Contains("model=claude-fast", query, StringComparison.Ordinal);
        Assert.Contains("user_id=u-1", query, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tag_activity_gives_spend_per_tag()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        proxy.Spend.Add(new FakeSpendRow(Day1, "claude-fast", "m", "h", 0.10m, 1, 1) { Tag = "team-a" });
        proxy.Spend.Add(new FakeSpendRow(Day1, "claude-fast", "m", "h", 0.20m, 1, 1) { Tag = "team-b" });
        proxy.Spend.Add(new FakeSpendRow(Day1, "claude-fast", "m", "h", 0.40m, 1, 1));
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var day = Assert.Single(await harness.Proxy.GetTagDailyActivityAsync(Day1, Day1, ["team-a", "team-b"]));

        Assert.Equal(0.10m, day.ByTag["team-a"].SpendUsd);
        Assert.Equal(0.20m, day.ByTag["team-b"].SpendUsd);
        Assert.Equal(0.30m, day.Total.SpendUsd);
        Assert.Equal("/tag/daily/activity", Assert.Single(proxy.Requests).Path);
        Assert.Contains("tags=team-a%2Cteam-b", Assert.Single(proxy.Requests).Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_is_generated_with_its_budget_read_back_and_deleted_never_in_a_url()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var key = await harness.Proxy.GenerateKeyAsync(new LiteLlmKeyRequest
        {
            MaxBudgetUsd = 0.01m,
            BudgetDuration = "30d",
            Models = ["claude-fast"],
            Metadata = new Dictionary<string, string> { ["team"] = "search" },
            KeyAlias = "search-prod",
        });
        var info = await harness.Proxy.GetKeyInfoAsync(key.Key);
        await harness.Proxy.DeleteKeyAsync(key.Key);

        Assert.StartsWith("sk-", key.Key, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Key, key.ToString(), StringComparison.Ordinal);
        Assert.Equal("search-prod", key.KeyAlias);
        Assert.Equal(("search-prod", 0m, 0.01m, "30d"), (info.KeyAlias, info.SpendUsd, info.MaxBudgetUsd, info.BudgetDuration));
        Assert.Equal(["claude-fast"], info.Models);
        Assert.Empty(proxy.GeneratedKeys);
        using var sent = JsonDocument.Parse(proxy.Requests[0].Body);
        Assert.Equal(0.01m, sent.RootElement.GetProperty("max_budget").GetDecimal());
        Assert.Equal("30d", sent.RootElement.GetProperty("budget_duration").GetString());
        Assert.Equal("search-prod", sent.RootElement.GetProperty("key_alias").GetString());
        Assert.Equal("search", sent.RootElement.GetProperty("metadata").GetProperty("team").GetString());
        Assert.Equal("claude-fast", sent.RootElement.GetProperty("models")[0].GetString());
        Assert.All(proxy.Requests, r => Assert.DoesNotContain(key.Key, r.Query + r.Path, StringComparison.Ordinal));
        Assert.DoesNotContain(key.Key, proxy.Requests[2].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_is_a_404_a_virtual_key_on_admin_routes_a_403_and_a_wrong_master_key_a_401()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        proxy.VirtualKeys.Add("sk-not-an-admin-key-000000001");
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        using var asVirtual = Harness.Create(TestData.ProxyEnv(proxy, masterKey: "sk-not-an-admin-key-000000001"));
        using var wrong = Harness.Create(TestData.ProxyEnv(proxy, masterKey: "sk-wrong-master-key-000000001"));

        var unknown = await Assert.ThrowsAsync<BadRequestException>(() => harness.Proxy.GetKeyInfoAsync("sk-unknown-key-0000000000001"));
        var unknownDelete = await Assert.ThrowsAsync<BadRequestException>(() => harness.Proxy.DeleteKeyAsync("sk-unknown-key-0000000000001"));
        var forbidden = await Assert.ThrowsAsync<AuthenticationFailedException>(() => asVirtual.Proxy.GenerateKeyAsync(new LiteLlmKeyRequest { MaxBudgetUsd = 1m }));
        var forbiddenSpend = await Assert.ThrowsAsync<AuthenticationFailedException>(() => asVirtual.Proxy.GetDailyActivityAsync(Day1, Day1));
        var unauthorized = await Assert.ThrowsAsync<AuthenticationFailedException>(() => wrong.Proxy.GetDailyActivityAsync(Day1, Day1));

        Assert.Equal(404, unknown.StatusCode);
        Assert.Equal(404, unknownDelete.StatusCode);
        Assert.Equal(403, forbidden.StatusCode);
        Assert.Equal(403, forbiddenSpend.StatusCode);
        Assert.Equal(401, unauthorized.StatusCode);
        Assert.Contains("KAIT_LITELLM_MASTER_KEY", unauthorized.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-wrong-master-key", unauthorized.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_that_always_has_more_pages_is_an_error_not_a_loop_and_bad_input_fails_before_any_request()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Proxy.GetDailyActivityAsync(Day2, Day1));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Proxy.GenerateKeyAsync(new LiteLlmKeyRequest { MaxBudgetUsd = -1m }));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Proxy.GenerateKeyAsync(new LiteLlmKeyRequest { BudgetDuration = "monthly" }));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Proxy.GetKeyInfoAsync("not-a-key"));
        Assert.Empty(proxy.Requests);

        proxy.DefaultReply = new FakeReply(); // the activity route below ignores it: the fake's metadata lies instead
        proxy.MaxPageSize = 1;
        for (var i = 0; i < LiteLlmProxyClient.MaxPages + 5; i++)
        {
            proxy.Spend.Add(new FakeSpendRow(Day1, "claude-fast", "m", "h", 0.001m, 1, 1));
        }

        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Proxy.GetDailyActivityAsync(Day1, Day1));
        Assert.Contains("1000 pages", error.Message, StringComparison.Ordinal);
        Assert.Equal(LiteLlmProxyClient.MaxPages, proxy.Requests.Count);
    }

    public static TheoryData<decimal, long> HostileFigures() => new()
    {
        { 0.01m, long.MaxValue },  // two such rows wrap a long to a negative count
        { -5m, 1 },                // spend below zero
        { 0.01m, -1 },             // tokens below zero
    };

    [Theory]
    [MemberData(nameof(HostileFigures))]
    public async Task Spend_figures_that_overflow_or_are_negative_are_a_clear_error_not_a_crash_or_a_wrong_total(decimal spend, long tokens)
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        proxy.MaxPageSize = 1; // one row a page: the day's figures are added up by Kait, across pages
        proxy.Spend.Add(new FakeSpendRow(Day1, "claude-fast", "m", "h1", spend, tokens, 1));
        proxy.Spend.Add(new FakeSpendRow(Day1, "claude-fast", "m", "h2", spend, tokens, 1));
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Proxy.GetDailyActivityAsync(Day1, Day1));

        Assert.Contains("spend figures on page", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_that_does_not_answer_times_out_on_the_spend_and_key_routes()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the backlog) and never answers
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        using var harness = Harness.Create(new Dictionary<string, string?>
        {
            ["KAIT_LITELLM_ENABLED"] = "true",
            ["KAIT_LITELLM_URL"] = $"http://127.0.0.1:{port}",
            ["KAIT_LITELLM_MASTER_KEY"] = TestData.MasterKey,
            ["KAIT_ATTEMPT_TIMEOUT"] = "1",
        });

        await Assert.ThrowsAsync<LlmTimeoutException>(() => harness.Proxy.GetDailyActivityAsync(Day1, Day1));
        await Assert.ThrowsAsync<LlmTimeoutException>(() => harness.Proxy.GenerateKeyAsync(new LiteLlmKeyRequest()));
    }
}
