using System.Collections.Immutable;
using System.Linq;
using Kait.Sdk.Config;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kait.Sdk.Generators.Analyzers;

/// <summary>
/// Checks constant strings that flow into a <c>[ModelAliasName]</c> parameter, property or field against the
/// project's LiteLLM config: KAIT100 (error) for an unknown alias with "did you mean", KAIT101 (info) for a known
/// alias written as a string. Runtime values are not checked; wildcard groups make matching strings valid.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelAliasStringAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the alias a fix should use.</summary>
    public const string AliasProperty = "KaitAlias";

    /// <summary>Diagnostic property: the generated member of that alias (absent when it has none).</summary>
    public const string IdentifierProperty = "KaitIdentifier";

    /// <summary>Diagnostic property: the namespace of the generated <c>Models</c>.</summary>
    public const string NamespaceProperty = "KaitNamespace";

    /// <summary>Diagnostic property: "true" when an overload takes a <c>ModelAlias</c> in this position.</summary>
    public const string AcceptsModelAliasProperty = "KaitAcceptsModelAlias";

    private const string AttributeName = "Kait.Sdk.ModelAliasNameAttribute";
    private const string ModelAliasName = "Kait.Sdk.ModelAlias";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnknownAlias, DiagnosticDescriptors.UseTypedAlias);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var attribute = start.Compilation.GetTypeByMetadataName(AttributeName);
            if (attribute is null)
            {
                return;
            }

            var known = KnownAliases.Load(start.Options, start.CancellationToken);
            if (known is null)
            {
                return;
            }

            var modelAlias = start.Compilation.GetTypeByMetadataName(ModelAliasName);
            start.RegisterOperationAction(c => AnalyzeArgument(c, attribute, modelAlias, known), OperationKind.Argument);
            start.RegisterOperationAction(c => AnalyzeAssignment(c, attribute, known), OperationKind.SimpleAssignment);
            start.RegisterOperationAction(c => AnalyzeInitializer(c, attribute, known), OperationKind.FieldInitializer, OperationKind.PropertyInitializer);
        });
    }

    private static void AnalyzeArgument(OperationAnalysisContext context, INamedTypeSymbol attribute, INamedTypeSymbol? modelAlias, KnownAliases known)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.Parameter is not { } parameter || !HasAttribute(parameter, attribute))
        {
            return;
        }

        var method = parameter.ContainingSymbol as IMethodSymbol;
        var accepts = modelAlias is not null && method is not null && method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
            .Any(m => m.Parameters.Any(p => p.Name == parameter.Name && SymbolEqualityComparer.Default.Equals(p.Type, modelAlias)));
        Check(context, argument.Value, known, accepts);
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, INamedTypeSymbol attribute, KnownAliases known)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        var member = assignment.Target switch
        {
            IPropertyReferenceOperation p => (ISymbol)p.Property,
            IFieldReferenceOperation f => f.Field,
            _ => null,
        };
        if (member is not null && HasAttribute(member, attribute))
        {
            Check(context, assignment.Value, known, acceptsModelAlias: false);
        }
    }

    private static void AnalyzeInitializer(OperationAnalysisContext context, INamedTypeSymbol attribute, KnownAliases known)
    {
        var (members, value) = context.Operation switch
        {
            IFieldInitializerOperation f => (f.InitializedFields.CastArray<ISymbol>(), f.Value),
            IPropertyInitializerOperation p => (p.InitializedProperties.CastArray<ISymbol>(), p.Value),
            _ => (ImmutableArray<ISymbol>.Empty, null!),
        };
        if (members.Any(m => HasAttribute(m, attribute)))
        {
            Check(context, value, known, acceptsModelAlias: false);
        }
    }

    private static void Check(OperationAnalysisContext context, IOperation value, KnownAliases known, bool acceptsModelAlias)
    {
        var inner = value;
        while (inner is IConversionOperation conversion)
        {
            inner = conversion.Operand;
        }

        if (inner is INameOfOperation || !value.ConstantValue.HasValue || value.ConstantValue.Value is not string text)
        {
            return;
        }

        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[NamespaceProperty] = known.Namespace;
        properties[AcceptsModelAliasProperty] = acceptsModelAlias ? "true" : "false";
        if (known.IsAlias(text))
        {
            var identifier = known.IdentifierOf(text);
            if (identifier is not null && (inner is ILiteralOperation || inner is IInterpolatedStringOperation))
            {
                properties[AliasProperty] = text;
                properties[IdentifierProperty] = identifier;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UseTypedAlias, inner.Syntax.GetLocation(), properties.ToImmutable(), KaitDiagnostics.UseTypedAlias.At(default, identifier, text).Message));
            }

            return;
        }

        if (known.MatchesWildcard(text))
        {
            return;
        }

        var nearest = known.Nearest(text);
        if (nearest is not null)
        {
            properties[AliasProperty] = nearest;
            var nearestIdentifier = known.IdentifierOf(nearest);
            if (nearestIdentifier is not null)
            {
                properties[IdentifierProperty] = nearestIdentifier;
            }
        }

        var hint = nearest is null ? string.Empty : " Did you mean '" + nearest + "'?";
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnknownAlias, inner.Syntax.GetLocation(), properties.ToImmutable(), KaitDiagnostics.UnknownAlias.At(default, text, hint).Message));
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute) =>
        symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));
}
