// Attributes that netstandard2.0 lacks; the compiler recognises them by name.
#pragma warning disable CA1019, CA1018, SA1649
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
