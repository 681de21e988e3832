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
}
