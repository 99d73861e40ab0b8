using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Vtorc.Cli.Tests;

/// <summary>
/// Finds the public types of our production assemblies that need not be public (issue 17: internal by default). A
/// visible type may stay public when another production assembly (src/ or bench/Vtorc.Benchmarks; not the tests,
/// which see internals) names it in its metadata, or when the compiler requires it: it appears in the visible
/// surface of a type that may stay public. That surface is what C# demands to be at least as accessible as the type
/// (CS0050-CS0061): the base class, the base interfaces of an interface, generic constraints, the enclosing type of
/// a nested type, and the signatures of its public and protected fields, methods, properties and events. A type
/// another assembly uses only for its constants leaves no trace in that assembly's metadata (the compiler copies the
/// values), so those few are listed in <see cref="UsedOnlyForConstants"/>.
/// </summary>
internal static class PublicSurface
{
    /// <summary>The assemblies built from src/; vtorc is Vtorc.Cli.</summary>
    public static readonly string[] ProductionAssemblies =
        ["Vtorc.Protocol", "Vtorc.Topo", "Vtorc.Replication", "Vtorc.Reparent", "Vtorc.Agent", "Vtorc.Orchestrator", "Vtorc.LocalCluster", "vtorc"];

    /// <summary>Assemblies outside src/ that use the production assemblies as an outsider would.</summary>
    public static readonly string[] OtherUsers = ["Vtorc.Benchmarks"];

    /// <summary>
    /// Types other assemblies use only for their constants (case labels, interpolated flags), by assembly; making one
    /// internal breaks their build, so a missing entry shows at once.
    /// </summary>
    public static readonly Dictionary<string, string[]> UsedOnlyForConstants = new()
    {
        ["Vtorc.Topo"] = ["Vtorc.Topo.TopoPaths"],
        ["Vtorc.Agent"] = ["Vtorc.Agent.Flavors.SemiSyncSettings"],
        ["Vtorc.LocalCluster"] = ["Vtorc.LocalCluster.LocalProcessKinds"],
        ["Vtorc.Orchestrator"] = ["Vtorc.Orchestrator.Analysis.AnalysisCodes"],
        ["Vtorc.Reparent"] = ["Vtorc.Reparent.Durability.DurabilityPolicyNames"],
    };

    /// <summary>
    /// "assembly: type" for each visible type of a production assembly in <paramref name="directory"/> that could be
    /// internal, and each <see cref="UsedOnlyForConstants"/> entry that names no visible type. Generated code is
    /// left out, recognised by a namespace outside <c>Vtorc.</c>: the types protoc generates from the .proto files,
    /// which keep the Vitess and etcd package names (protoc gives all types of a .proto file one access level, and
    /// every file has types the other assemblies use), and the compiler's <c>Program</c> of vtorc's top-level
    /// statements.
    /// </summary>
    public static List<string> NeedlesslyPublic(string directory)
    {
        var files = ProductionAssemblies.Concat(OtherUsers)
            .ToDictionary(name => name, name => new PEReader(File.OpenRead(Path.Combine(directory, name + ".dll"))));
        try
        {
            var readers = files.ToDictionary(file => file.Key, file => file.Value.GetMetadataReader());
            var problems = new List<string>();
            foreach (var assembly in ProductionAssemblies)
            {
                var reader = readers[assembly];
                var named = readers.Where(other => other.Key != assembly)
                    .SelectMany(other => NamesReferencedFrom(other.Value, assembly))
                    .Concat(UsedOnlyForConstants.GetValueOrDefault(assembly) ?? []).ToHashSet();
                var visible = reader.TypeDefinitions.Where(type => IsVisible(reader, type)).ToList();
                problems.AddRange((UsedOnlyForConstants.GetValueOrDefault(assembly) ?? [])
                    .Where(listed => !visible.Any(type => FullName(reader, type) == listed))
                    .Select(listed => $"{assembly}: {listed} is listed in {nameof(UsedOnlyForConstants)} but is no public type; remove it"));
                var needed = Closure(reader, visible.Where(type => named.Contains(FullName(reader, type))));
                problems.AddRange(visible
                    .Where(type => !needed.Contains(type) && FullName(reader, type).StartsWith("Vtorc.", StringComparison.Ordinal))
                    .Select(type => $"{assembly}: {FullName(reader, type)}"));
            }
            problems.Sort(StringComparer.Ordinal);
            return problems;
        }
        finally
        {
            foreach (var file in files.Values)
            {
                file.Dispose();
            }
        }
    }

    /// <summary>Full names (nested types as Outer+Inner) of the types of <paramref name="assembly"/> that <paramref name="reader"/> references.</summary>
    private static IEnumerable<string> NamesReferencedFrom(MetadataReader reader, string assembly) =>
        reader.TypeReferences.Select(handle => NameIfFrom(reader, handle, assembly)).OfType<string>();

    private static string? NameIfFrom(MetadataReader reader, TypeReferenceHandle handle, string assembly)
    {
        var reference = reader.GetTypeReference(handle);
        var name = reader.GetString(reference.Name);
        var scope = reference.ResolutionScope;
        if (scope.Kind == HandleKind.TypeReference)
        {
            return NameIfFrom(reader, (TypeReferenceHandle)scope, assembly) is { } outer ? outer + "+" + name : null;
        }
        if (scope.Kind != HandleKind.AssemblyReference
            || reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) != assembly)
        {
            return null;
        }
        var space = reader.GetString(reference.Namespace);
        return space.Length == 0 ? name : space + "." + name;
    }

    /// <summary>Public, or nested public or protected inside a visible type.</summary>
    private static bool IsVisible(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        return (type.Attributes & TypeAttributes.VisibilityMask) switch
        {
            TypeAttributes.Public => true,
            TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem => IsVisible(reader, type.GetDeclaringType()),
            _ => false,
        };
    }

    private static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        if (type.GetDeclaringType() is { IsNil: false } outer)
        {
            return FullName(reader, outer) + "+" + name;
        }
        var space = reader.GetString(type.Namespace);
        return space.Length == 0 ? name : space + "." + name;
    }

    /// <summary>The types of the assembly that must be public when <paramref name="roots"/> are.</summary>
    private static HashSet<TypeDefinitionHandle> Closure(MetadataReader reader, IEnumerable<TypeDefinitionHandle> roots)
    {
        var needed = new HashSet<TypeDefinitionHandle>();
        var queue = new Queue<TypeDefinitionHandle>();
        void Need(IEnumerable<TypeDefinitionHandle> types)
        {
            foreach (var type in types)
            {
                if (needed.Add(type))
                {
                    queue.Enqueue(type);
                }
            }
        }
        Need(roots);
        var signatures = new SignatureTypes();
        while (queue.TryDequeue(out var handle))
        {
            var type = reader.GetTypeDefinition(handle);
            if (type.GetDeclaringType() is { IsNil: false } outer)
            {
                Need([outer]);
            }
            Need(TypesOf(reader, type.BaseType, signatures));
            if ((type.Attributes & TypeAttributes.Interface) != 0)
            {
                Need(type.GetInterfaceImplementations()
                    .SelectMany(implementation => TypesOf(reader, reader.GetInterfaceImplementation(implementation).Interface, signatures)));
            }
            Need(Constraints(reader, type.GetGenericParameters(), signatures));
            foreach (var field in type.GetFields().Select(reader.GetFieldDefinition))
            {
                if (IsVisibleMember((MethodAttributes)(field.Attributes & FieldAttributes.FieldAccessMask)))
                {
                    Need(field.DecodeSignature(signatures, null));
                }
            }
            foreach (var method in type.GetMethods().Select(reader.GetMethodDefinition))
            {
                if (IsVisibleMember(method.Attributes & MethodAttributes.MemberAccessMask))
                {
                    var signature = method.DecodeSignature(signatures, null);
                    Need(signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(parameter => parameter)));
                    Need(Constraints(reader, method.GetGenericParameters(), signatures));
                }
            }
        }
        return needed;
    }

    // Field and method access share their encoding.
    private static bool IsVisibleMember(MethodAttributes access) =>
        access is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem;

    private static IEnumerable<TypeDefinitionHandle> Constraints(MetadataReader reader, GenericParameterHandleCollection parameters, SignatureTypes signatures) =>
        parameters.SelectMany(parameter => reader.GetGenericParameter(parameter).GetConstraints())
            .SelectMany(constraint => TypesOf(reader, reader.GetGenericParameterConstraint(constraint).Type, signatures));

    private static ImmutableArray<TypeDefinitionHandle> TypesOf(MetadataReader reader, EntityHandle handle, SignatureTypes signatures) =>
        handle.IsNil ? [] : handle.Kind switch
        {
            HandleKind.TypeDefinition => [(TypeDefinitionHandle)handle],
            HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(signatures, null),
            _ => [],
        };

    /// <summary>Decodes a signature into the types of this assembly it names, type arguments included.</summary>
    private sealed class SignatureTypes : ISignatureTypeProvider<ImmutableArray<TypeDefinitionHandle>, object?>
    {
        public ImmutableArray<TypeDefinitionHandle> GetArrayType(ImmutableArray<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetByReferenceType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) =>
            [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(parameter => parameter)];
        public ImmutableArray<TypeDefinitionHandle> GetGenericInstantiation(ImmutableArray<TypeDefinitionHandle> genericType, ImmutableArray<ImmutableArray<TypeDefinitionHandle>> typeArguments) =>
            [.. genericType, .. typeArguments.SelectMany(argument => argument)];
        public ImmutableArray<TypeDefinitionHandle> GetGenericMethodParameter(object? genericContext, int index) => [];
        public ImmutableArray<TypeDefinitionHandle> GetGenericTypeParameter(object? genericContext, int index) => [];
        public ImmutableArray<TypeDefinitionHandle> GetModifiedType(ImmutableArray<TypeDefinitionHandle> modifier, ImmutableArray<TypeDefinitionHandle> unmodifiedType, bool isRequired) => unmodifiedType;
        public ImmutableArray<TypeDefinitionHandle> GetPinnedType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPointerType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        public ImmutableArray<TypeDefinitionHandle> GetSZArrayType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [];
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
