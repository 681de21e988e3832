namespace Kait.Sdk.Costs;

/// <summary>What <see cref="ICostLedger.GetTotalsAsync"/> groups by.</summary>
public enum CostGroupBy
{
    /// <summary>The UTC day, keyed <c>yyyy-MM-dd</c>.</summary>
    Day = 0,

    /// <summary>The alias.</summary>
    Alias,

    /// <summary>The provider model (empty key: none answered).</summary>
    Model,

    /// <summary>The route (empty key: none recorded).</summary>
    Route,

    /// <summary>The spend tag (<see cref="LlmCallOptions.Tags"/>; empty key: untagged calls). Each tag's totals are
    /// exact; a call with several tags counts under each of them.</summary>
    Tag,
}
