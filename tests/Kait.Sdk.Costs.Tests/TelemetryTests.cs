using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kait.Sdk.Telemetry;

namespace Kait.Sdk.Costs.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public void A_call_span_carries_the_gen_ai_attributes_cost_and_route_and_the_meters_count_it()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KaitTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        using var telemetry = new KaitTelemetry();
        var measurements = new List<(string Name, double Value, string? TokenType)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KaitTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Capture(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? tokenType = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "gen_ai.token.type")
                {
                    tokenType = (string?)tag.Value;
                }
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, tokenType));
            }
        }

        meterListener.SetMeasurementEventCallback<long>((i, v, t, _) => Capture(i, v, t));
        meterListener.SetMeasurementEventCallback<double>((i, v, t, _) => Capture(i, v, t));
        meterListener.Start();

        var deployment = new ModelDeployment("gemini/gemini-2.0-flash") { Provider = "gemini", ProviderModel = "gemini-2.0-flash" };
        using (var span = telemetry.StartCall("gemini-default", deployment, "proxy"))
        {
            span.Complete(new LlmCallRecord
            {
                TimestampUtc = DateTimeOffset.UnixEpoch, Alias = "gemini-default", ProviderModel = "gemini/gemini-2.0-flash", Route = "proxy",
                Usage = new LlmUsage(InputTokens: 1200, CachedInputTokens: 0, OutputTokens: 300), CostUsd = 0.00024m, CostSource = CostSource.BuiltIn,
            });
        }

        var activity = Assert.Single(stopped, a => (string?)a.GetTagItem("kait.alias") == "gemini-default");
        Assert.Equal(ActivityKind.Client, activity.Kind);
        Assert.Equal("gcp.gemini", activity.GetTagItem("gen_ai.system"));
        Assert.Equal("gemini-2.0-flash", activity.GetTagItem("gen_ai.request.model"));
        Assert.Equal("gemini/gemini-2.0-flash", activity.GetTagItem("gen_ai.response.model"));
        Assert.Equal(1200, Convert.ToInt64(activity.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(300, Convert.ToInt64(activity.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0.00024, activity.GetTagItem("kait.cost_usd"));
        Assert.Equal("proxy", activity.GetTagItem("kait.route"));
        Assert.Equal(ActivityStatusCode.Unset, activity.Status);

        Assert.Contains(("kait.llm.calls", 1d, null), measurements);
        Assert.Contains(("kait.llm.tokens", 1200d, "input"), measurements);
        Assert.Contains(("kait.llm.tokens", 300d, "output"), measurements);
        Assert.Contains(("kait.llm.cost", 0.00024, null), measurements);
    }

    [Fact]
    public void A_failed_call_ends_its_span_as_an_error_with_the_error_type()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KaitTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var telemetry = new KaitTelemetry();

        using (var span = telemetry.StartCall("claude-failing"))
        {
            span.Complete(new LlmCallRecord
            {
                TimestampUtc = DateTimeOffset.UnixEpoch, Alias = "claude-failing", Status = LlmCallStatus.Error, ErrorType = "rate_limit_error", HttpStatus = 429,
            });
        }

        var activity = Assert.Single(stopped, a => (string?)a.GetTagItem("kait.alias") == "claude-failing");
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Equal("rate_limit_error", activity.GetTagItem("error.type"));
        Assert.Null(activity.GetTagItem("kait.cost_usd"));
    }
}
