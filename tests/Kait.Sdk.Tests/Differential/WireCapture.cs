using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests.Differential;

/// <summary>One captured request, normalised for comparison: the body with keys sorted, nulls dropped (a null and an
/// omitted field are the same to every API here) and numbers in one format (<c>0.50</c>, <c>5e-1</c> and <c>0.5</c>
/// alike); and the headers that change what a server does: method, path, host, content type, body framing, the
/// credential (header and value) and <c>anthropic-version</c>.</summary>
internal sealed class WireCapture
{
    private WireCapture(JsonNode? body, SortedDictionary<string, string> headers)
    {
        Body = body;
        Headers = headers;
    }

    /// <summary>The normalised body (null for none).</summary>
    public JsonNode? Body { get; set; }

    /// <summary>The meaningful headers, by a stable name.</summary>
    public SortedDictionary<string, string> Headers { get; }

    /// <summary>The body's top-level object (rules edit it).</summary>
    public JsonObject? Object => Body as JsonObject;

    public static WireCapture From(RecordedRequest request)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["method"] = request.Method,
            ["path"] = request.Path.Split('?')[0],
            ["host"] = request.Header("Host") ?? "(none)",
            ["content-type"] = (request.Header("Content-Type") ?? "(none)").ToLowerInvariant().Replace(" ", string.Empty, StringComparison.Ordinal),
            ["framing"] = request.Header("Content-Length") is not null ? "content-length" : request.Header("Transfer-Encoding") ?? "(none)",
            ["credential"] = Credential(request),
        };
        if (request.Header("anthropic-version") is { } version)
        {
            headers["anthropic-version"] = version;
        }

        var body = string.IsNullOrEmpty(request.Body) ? null : Normalise(JsonNode.Parse(request.Body));
        return new WireCapture(body, headers);
    }

    /// <summary>The canonical text of the body (sorted keys, no nulls, canonical numbers).</summary>
    public string BodyText => Body?.ToJsonString() ?? "(none)";

    /// <summary>Where the credential went: the header's name and the key (test keys only).</summary>
    private static string Credential(RecordedRequest request)
    {
        if (request.Header("x-api-key") is { } apiKey)
        {
            return "x-api-key: " + apiKey;
        }

        return request.Header("Authorization") is { } authorization ? "authorization: " + authorization : "(none)";
    }

    /// <summary>Sorts keys, drops nulls, writes numbers one way; recursively.</summary>
    public static JsonNode? Normalise(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => SortedObject(obj),
        JsonArray array => new JsonArray(array.Select(Normalise).ToArray()),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => CanonicalNumber(value),
        _ => node.DeepClone(),
    };

    private static JsonObject SortedObject(JsonObject obj)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (value is not null)
            {
                sorted[key] = Normalise(value);
            }
        }

        return sorted;
    }

    private static JsonNode CanonicalNumber(JsonValue value)
    {
        var raw = value.ToJsonString();
        return decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? JsonNode.Parse(number.ToString("G29", CultureInfo.InvariantCulture))!
            : JsonNode.Parse(double.Parse(raw, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture))!;
    }
}
