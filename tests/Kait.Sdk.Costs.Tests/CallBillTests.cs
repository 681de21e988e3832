using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Costs.Tests;

public sealed class CallBillTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Claude Haiku 4.5, priced by Kait's built-in table: 1 USD per million input tokens, 5 per million output.</summary>
    private static readonly ModelDeployment Haiku = new("anthropic/claude-haiku-4-5-20251001") { Provider = "anthropic", ProviderModel = "claude-haiku-4-5-20251001" };

    /// <summary>1,000 prompt tokens and a 1,000-token allowance on Haiku: 0.001 + 0.005 USD.</summary>
    private const decimal HaikuEstimate = 0.006m;

    private static readonly CostEstimator Estimator = new(new DefaultCostCalculator(priceMap: null));

    private static BudgetGuard Budget(decimal? daily) =>
        new(Options.Create(new KaitCostOptions { DailyBudgetUsd = daily }), new EmptyLedger(), new FakeTimeProvider(Now));

    private static async Task<CallBill> OpenAsync(BudgetGuard budget, ModelDeployment? deployment = null, bool retryAfterPossibleBilling = true, ILogger? logger = null)
    {
        var bill = new CallBill(budget, Estimator, deployment ?? Haiku, retryAfterPossibleBilling, logger);
        await bill.ReserveAsync(promptTokens: 1000, maxOutputTokens: 1000, CancellationToken.None);
        return bill;
    }

    [Fact]
    public void An_alias_without_a_price_or_a_deployment_is_estimated_at_the_dearest_default_never_at_zero()
    {
        var logger = new ListLogger<CostEstimator>();
        var estimator = new CostEstimator(new DefaultCostCalculator(priceMap: null), logger);
        var guess = new LlmUsage(InputTokens: 1000, CachedInputTokens: 0, OutputTokens: 1000);

        Assert.Equal(HaikuEstimate, estimator.Estimate(Haiku, guess)); // priced: the model's own price
        Assert.Equal(0.015m + 0.075m, estimator.Estimate(new ModelDeployment("acme/secret-model"), guess)); // 15 and 75 USD per million
        Assert.Equal(0.09m, estimator.Estimate(deployment: null, guess));
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("acme/secret-model", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_budget_reserves_a_real_estimate_for_a_call_nothing_can_price()
    {
        var budget = Budget(daily: 1m);

        await OpenAsync(budget, deployment: new ModelDeployment("acme/secret-model"));

        Assert.Equal(0.09m, budget.GetSnapshot().InFlightUsd);
    }

    [Fact]
    public async Task A_call_that_timed_out_after_sending_keeps_its_estimate_and_is_booked_possibly_billed()
    {
        var budget = Budget(daily: 1m);
        var bill = await OpenAsync(budget);

        bill.AttemptStarted();
        bill.AttemptFailed(new LlmTimeoutException("no answer within 30 s"));
        var error = new LlmTimeoutException("gave up");
        var total = bill.Close(error);

        Assert.Equal(new BillTotal(LlmUsage.Empty, HaikuEstimate, CostSource.Estimated, LlmCallStatus.PossiblyBilled, 1, 1), total);
        Assert.Equal(new BudgetSnapshot(HaikuEstimate, HaikuEstimate, 0m, 1m, null), budget.GetSnapshot()); // spent, not released at 0
    }

    public static TheoryData<Exception, LlmCallStatus> NotBilled => new()
    {
        { new AuthenticationFailedException("401") { StatusCode = 401 }, LlmCallStatus.Error },
        { new RateLimitException("429") { StatusCode = 429 }, LlmCallStatus.Error },
        { new ProviderUnavailableException("503 from the provider") { StatusCode = 503 }, LlmCallStatus.Error },
        { new ProviderUnavailableException("connection refused") { Unreachable = true }, LlmCallStatus.Error },
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused"), LlmCallStatus.Error },
    };

    [Theory]
    [MemberData(nameof(NotBilled))]
    public async Task A_call_refused_by_an_error_answer_or_never_sent_releases_its_estimate_at_zero(Exception failure, LlmCallStatus status)
    {
        var budget = Budget(daily: 1m);
        var bill = await OpenAsync(budget);

        bill.AttemptStarted();
        bill.AttemptFailed(failure);
        var total = bill.Close(failure);

        Assert.Equal((null, CostSource.Unknown, status), (total.CostUsd, total.Source, total.Status));
        Assert.Equal(new BudgetSnapshot(0m, 0m, 0m, 1m, null), budget.GetSnapshot());
    }

    public static TheoryData<Exception> PossiblyBilled =>
    [
        new ProviderUnavailableException("closed the connection before answering", new IOException("reset")),
        new ProviderUnavailableException("closed the connection before the reply ended") { StatusCode = 200 },
        new StreamInterruptedException("the stream broke after 3 chunks"),
        new LlmTimeoutException("504 from the proxy") { StatusCode = 504 },
        new OperationCanceledException("the caller cancelled while the request was out"),
        new TimeoutException("an attempt's own timeout, of a type the bill does not know"),
    ];

    [Theory]
    [MemberData(nameof(PossiblyBilled))]
    public async Task A_call_that_may_have_reached_the_provider_is_booked_at_the_estimate(Exception failure)
    {
        var budget = Budget(daily: 1m);
        var bill = await OpenAsync(budget);

        bill.AttemptStarted();
        bill.AttemptFailed(failure);
        var total = bill.Close(failure);

        Assert.Equal((HaikuEstimate, CostSource.Estimated, LlmCallStatus.PossiblyBilled), (total.CostUsd, total.Source, total.Status));
        Assert.Equal(HaikuEstimate, budget.GetSnapshot().DaySpentUsd);
    }

    [Fact]
    public async Task A_stream_broken_after_its_first_chunk_counts_as_possibly_billed_when_the_bill_closes()
    {
        var budget = Budget(daily: 1m);
        var bill = await OpenAsync(budget);

        bill.AttemptStarted(); // the stream opened, chunks flowed, then it broke: no outcome was reported for the attempt
        var total = bill.Close(new StreamInterruptedException("cut"));

        Assert.Equal((1, 1, LlmCallStatus.PossiblyBilled, HaikuEstimate), (total.Attempts, total.PossiblyBilledAttempts, total.Status, total.CostUsd));
    }

    [Fact]
    public async Task A_retry_after_a_possibly_billed_attempt_books_both_attempts_not_only_the_last()
    {
        var budget = Budget(daily: 1m);
        var bill = await OpenAsync(budget);

        bill.AttemptStarted();
        bill.AttemptFailed(new ProviderUnavailableException("closed the connection before answering", new IOException("reset")));
        Assert.True(bill.AdmitRetry());
        Assert.Equal(2 * HaikuEstimate, budget.GetSnapshot().InFlightUsd); // the duplicate is held too
        bill.AttemptStarted();
        var answer = new LlmUsage(InputTokens: 900, CachedInputTokens: 0, OutputTokens: 120);
        bill.AttemptAnswered(answer, new CostResult(0.0015m, CostSource.ProxyHeader));
        var total = bill.Close();

        Assert.Equal(new BillTotal(answer, 0.0015m + HaikuEstimate, CostSource.Estimated, LlmCallStatus.Ok, 2, 1), total);
        Assert.Equal(new BudgetSnapshot(0.0015m + HaikuEstimate, 0.0015m + HaikuEstimate, 0m, 1m, null), budget.GetSnapshot());
    }

    [Fact]
    public async Task The_usage_of_every_attempt_is_summed_and_a_clean_retry_costs_what_its_answer_costs()
    {
        var bill = await OpenAsync(Budget(daily: null));

        bill.AttemptStarted();
        bill.AttemptFailed(new ProviderUnavailableException("overloaded") { StatusCode = 529 }, new LlmUsage(50, 0, 0));
        Assert.True(bill.AdmitRetry());
        bill.AttemptStarted();
        bill.AttemptAnswered(new LlmUsage(1000, 200, 100), new CostResult(0.0012m, CostSource.BuiltIn));
        var total = bill.Close();

        Assert.Equal(new BillTotal(new LlmUsage(1050, 200, 100), 0.0012m, CostSource.BuiltIn, LlmCallStatus.Ok, 2, 0), total);
    }

    [Fact]
    public async Task With_RetryAfterPossibleBilling_off_a_possibly_billed_attempt_is_not_retried_and_a_refused_one_is()
    {
        var logger = new ListLogger<CallBill>();
        var bill = await OpenAsync(Budget(daily: null), retryAfterPossibleBilling: false, logger: logger);

        bill.AttemptStarted();
        bill.AttemptFailed(new RateLimitException("429") { StatusCode = 429 });
        Assert.True(bill.AdmitRetry());
        bill.AttemptStarted();
        bill.AttemptFailed(new LlmTimeoutException("attempt timed out"));

        Assert.False(bill.AdmitRetry());
        Assert.True(logger.Has(LogLevel.Warning, 4132));
    }

    [Fact]
    public async Task A_budget_that_cannot_cover_a_duplicate_refuses_the_retry()
    {
        var budget = Budget(daily: HaikuEstimate); // admits the first attempt (nothing spent yet), not a second
        var bill = await OpenAsync(budget);

        bill.AttemptStarted();
        bill.AttemptFailed(new LlmTimeoutException("attempt timed out"));

        Assert.False(bill.AdmitRetry());
        var total = bill.Close(new LlmTimeoutException("gave up"));
        Assert.Equal(HaikuEstimate, total.CostUsd);
        Assert.Equal(new BudgetSnapshot(HaikuEstimate, HaikuEstimate, 0m, HaikuEstimate, null), budget.GetSnapshot());
    }

    [Theory]
    [InlineData("-0.25")]
    [InlineData("25000")]
    public async Task A_negative_or_absurd_cost_from_any_source_is_logged_and_not_booked(string amount)
    {
        var cost = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        var usage = new LlmUsage(InputTokens: 2000, CachedInputTokens: 0, OutputTokens: 400);

        // No budget: the cost is unknown, never the hostile amount.
        var logger = new ListLogger<CallBill>();
        var unbudgeted = await OpenAsync(Budget(daily: null), logger: logger);
        unbudgeted.AttemptAnswered(usage, new CostResult(cost, CostSource.ProxyHeader));
        Assert.Equal((null, CostSource.Unknown), (unbudgeted.Close().CostUsd, unbudgeted.Close().Source));
        Assert.True(logger.Has(LogLevel.Warning, 4130));

        // A budget: the answer's real usage at the model's price, booked as an estimate.
        var budget = Budget(daily: 5m);
        var budgeted = await OpenAsync(budget);
        budgeted.AttemptAnswered(usage, new CostResult(cost, CostSource.ProxyHeader));
        var total = budgeted.Close();
        Assert.Equal((0.002m + 0.002m, CostSource.Estimated), (total.CostUsd!.Value, total.Source));
        Assert.Equal(0.004m, budget.GetSnapshot().DaySpentUsd);
    }

    [Fact]
    public async Task An_answer_nothing_can_price_counts_against_a_budget_at_the_default_price_and_stays_unknown_without_one()
    {
        var unpriced = new ModelDeployment("acme/secret-model");
        var usage = new LlmUsage(InputTokens: 10_000, CachedInputTokens: 0, OutputTokens: 1000);

        var budget = Budget(daily: 5m);
        var bill = await OpenAsync(budget, unpriced);
        bill.AttemptAnswered(usage, CostResult.Unknown);
        Assert.Equal((0.225m, CostSource.Estimated), (bill.Close().CostUsd, bill.Close().Source)); // 0.15 + 0.075
        Assert.Equal(0.225m, budget.GetSnapshot().DaySpentUsd);

        var free = await OpenAsync(Budget(daily: null), unpriced);
        free.AttemptAnswered(usage, CostResult.Unknown);
        Assert.Equal((null, CostSource.Unknown), (free.Close().CostUsd, free.Close().Source));
    }

    [Fact]
    public async Task Closing_twice_settles_once()
    {
        var budget = Budget(daily: 1m);
        var bill = await OpenAsync(budget);
        bill.AttemptAnswered(new LlmUsage(10, 0, 10), new CostResult(0.1m, CostSource.ConfigPrice));

        var first = bill.Close();
        var second = bill.Close(new InvalidOperationException("late"));

        Assert.Equal(first, second);
        Assert.Equal(0.1m, budget.GetSnapshot().DaySpentUsd);
    }

    [Fact]
    public async Task A_budget_refusal_before_sending_books_nothing()
    {
        var budget = Budget(daily: 0.001m);
        var bill = new CallBill(budget, Estimator, Haiku, retryAfterPossibleBilling: true);
        (await budget.ReserveAsync(0.001m)).Settle(0.001m);

        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => bill.ReserveAsync(1000, 1000, CancellationToken.None).AsTask());
        var total = bill.Close(refusal);

        Assert.Equal((null, 0, LlmCallStatus.Error), (total.CostUsd, total.Attempts, total.Status));
        Assert.Equal(new BudgetSnapshot(0.001m, 0.001m, 0m, 0.001m, null), budget.GetSnapshot());
    }

    private sealed class EmptyLedger : ICostLedger
    {
        public Task<IReadOnlyList<CostTotals>> GetTotalsAsync(CostGroupBy groupBy, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<CostTotals>>([]);

        public Task<CostTotals> GetSummaryAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
            => Task.FromResult(new CostTotals("total", 0, 0, 0, 0m, 0));

        public Task<IReadOnlyList<LlmCallRecord>> GetCallsAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, int limit = 100, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<LlmCallRecord>>([]);
    }
}
