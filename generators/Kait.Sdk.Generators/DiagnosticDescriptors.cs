using Kait.Sdk.Config;
using Microsoft.CodeAnalysis;

namespace Kait.Sdk.Generators;

/// <summary>Every diagnostic the generator reports, in one place. Ids, titles and messages come from
/// <see cref="KaitDiagnostics"/>, which <c>kait doctor</c> shares, so the build and the CLI say the same words.</summary>
internal static class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor InvalidYaml = Create(KaitDiagnosticIds.InvalidYaml, KaitDiagnostics.InvalidYaml);
    public static readonly DiagnosticDescriptor IncompleteEntry = Create(KaitDiagnosticIds.IncompleteEntry, KaitDiagnostics.IncompleteEntry);
    public static readonly DiagnosticDescriptor IdentifierClash = Create(KaitDiagnosticIds.IdentifierClash, KaitDiagnostics.IdentifierClash);
    public static readonly DiagnosticDescriptor LiteralSecret = Create(KaitDiagnosticIds.LiteralSecret, KaitDiagnostics.LiteralSecret);
    public static readonly DiagnosticDescriptor DuplicateKey = Create(KaitDiagnosticIds.DuplicateKey, KaitDiagnostics.DuplicateKey);
    public static readonly DiagnosticDescriptor NoConfig = Create(KaitDiagnosticIds.NoConfig, KaitDiagnostics.NoConfig);
    public static readonly DiagnosticDescriptor MistypedEnvironmentReference = Create(KaitDiagnosticIds.MistypedEnvironmentReference, KaitDiagnostics.MistypedEnvironmentReference);
    public static readonly DiagnosticDescriptor UnknownGroupAliasTarget = Create(KaitDiagnosticIds.UnknownGroupAliasTarget, KaitDiagnostics.UnknownGroupAliasTarget);
    public static readonly DiagnosticDescriptor MissingInclude = Create(KaitDiagnosticIds.MissingInclude, KaitDiagnostics.MissingInclude);
    public static readonly DiagnosticDescriptor NoIdentifier = Create(KaitDiagnosticIds.NoIdentifier, KaitDiagnostics.NoIdentifier);
    public static readonly DiagnosticDescriptor WrongShape = Create(KaitDiagnosticIds.WrongShape, KaitDiagnostics.WrongShape);
    public static readonly DiagnosticDescriptor SeveralConfigs = Create(KaitDiagnosticIds.SeveralConfigs, KaitDiagnostics.SeveralConfigs);
    public static readonly DiagnosticDescriptor GeneratorFailure = Create(KaitDiagnosticIds.GeneratorFailure, KaitDiagnostics.GeneratorFailure);
    public static readonly DiagnosticDescriptor TooComplex = Create(KaitDiagnosticIds.TooComplex, KaitDiagnostics.TooComplex);
    public static readonly DiagnosticDescriptor RefusedFile = Create(KaitDiagnosticIds.RefusedFile, KaitDiagnostics.RefusedFile);
    public static readonly DiagnosticDescriptor UnsafeName = Create(KaitDiagnosticIds.UnsafeName, KaitDiagnostics.UnsafeName);

    public static readonly DiagnosticDescriptor UnknownAlias = Create(KaitDiagnosticIds.UnknownAlias, KaitDiagnostics.UnknownAlias);
    public static readonly DiagnosticDescriptor UseTypedAlias = Create(KaitDiagnosticIds.UseTypedAlias, KaitDiagnostics.UseTypedAlias);

    public static DiagnosticDescriptor For(string id) => id switch
    {
        KaitDiagnosticIds.InvalidYaml => InvalidYaml,
        KaitDiagnosticIds.IncompleteEntry => IncompleteEntry,
        KaitDiagnosticIds.IdentifierClash => IdentifierClash,
        KaitDiagnosticIds.LiteralSecret => LiteralSecret,
        KaitDiagnosticIds.DuplicateKey => DuplicateKey,
        KaitDiagnosticIds.NoConfig => NoConfig,
        KaitDiagnosticIds.MistypedEnvironmentReference => MistypedEnvironmentReference,
        KaitDiagnosticIds.UnknownGroupAliasTarget => UnknownGroupAliasTarget,
        KaitDiagnosticIds.MissingInclude => MissingInclude,
        KaitDiagnosticIds.NoIdentifier => NoIdentifier,
        KaitDiagnosticIds.WrongShape => WrongShape,
        KaitDiagnosticIds.SeveralConfigs => SeveralConfigs,
        KaitDiagnosticIds.TooComplex => TooComplex,
        KaitDiagnosticIds.RefusedFile => RefusedFile,
        KaitDiagnosticIds.UnsafeName => UnsafeName,
        KaitDiagnosticIds.UnknownAlias => UnknownAlias,
        KaitDiagnosticIds.UseTypedAlias => UseTypedAlias,
        _ => GeneratorFailure,
    };

    // The message is formatted by Kait.Sdk.Config (shared with kait doctor); Roslyn gets it whole.
    private static DiagnosticDescriptor Create(string id, KaitDiagnosticKind kind) =>
        new DiagnosticDescriptor(id, kind.Title, "{0}", KaitDiagnostics.Category, ToSeverity(kind.Severity), isEnabledByDefault: true, helpLinkUri: null);

    private static DiagnosticSeverity ToSeverity(ConfigSeverity severity) => severity switch
    {
        ConfigSeverity.Error => DiagnosticSeverity.Error,
        ConfigSeverity.Warning => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Info,
    };
}
