using System.Collections.ObjectModel;
using System.Text.Json;

namespace Kait.Sdk.Transport;

/// <summary>No unknown response fields.</summary>
internal static class EmptyFields
{
    public static IReadOnlyDictionary<string, JsonElement> Instance { get; } = ReadOnlyDictionary<string, JsonElement>.Empty;
}
