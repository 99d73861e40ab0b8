using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace Vtorc.Testing;

/// <summary>
/// Finds the test classes that can start a process outside the test host: those whose own code, or whose fixtures'
/// code (constructor parameters, <c>IClassFixture</c>, the <c>ICollectionFixture</c>s of their <c>[Collection]</c>),
/// reaches <see cref="Process.Start()"/> through calls, constructors and delegates in our assemblies (etcd, MariaDB,
/// agents and <c>ip</c>/<c>nft</c> all start through it). Calls through an interface or a virtual method are
/// followed to the declared method only, so this finds what a test starts directly or through a fixture or helper,
/// not through a dependency it injects.
/// </summary>
public static class ExternalProcessReach
{
    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Dictionary<(Module, int), List<MethodBase>> CalleesCache = [];

    /// <summary>
    /// Fails, naming each class and one call chain, when a test class of <paramref name="testAssembly"/> reaches
    /// <see cref="Process.Start()"/> but is marked neither <see cref="NeedsExternalProcessAttribute"/> nor
    /// <see cref="StartsNoExternalProcessAttribute"/>, or is marked the latter but reaches nothing.
    /// </summary>
    public static void AssertMarked(Assembly testAssembly)
    {
        var problems = new List<string>();
        var testClasses = TestClasses(testAssembly).ToList();
        var reaching = MethodsReachingProcessStart(testClasses.SelectMany(RootsOf));
        foreach (var type in testClasses)
        {
            var marked = type.IsDefined(typeof(NeedsExternalProcessAttribute), inherit: false);
            var exempt = type.IsDefined(typeof(StartsNoExternalProcessAttribute), inherit: false);
            // The chain is only worked out for the message; whether there is one comes from the shared walk.
            var chain = marked || !RootsOf(type).Any(root => reaching.Contains(Key(root))) ? null : ChainToProcessStart(type);
            if (marked && exempt)
            {
                problems.Add($"{type.FullName}: marked both [NeedsExternalProcess] and [StartsNoExternalProcess]");
            }
            else if (exempt && chain is null)
            {
                problems.Add($"{type.FullName}: [StartsNoExternalProcess] but nothing it calls reaches Process.Start any more; remove the attribute");
            }
            else if (!marked && !exempt && chain is not null)
            {
                problems.Add($"{type.FullName} starts a process outside the test host; mark it [NeedsExternalProcess] so that "
                    + $"'scripts/test --fast' leaves it out (or, if its tests never get there, [StartsNoExternalProcess(\"why\")]): {chain}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The classes of <paramref name="assembly"/> that have xunit tests.</summary>
    public static IEnumerable<Type> TestClasses(Assembly assembly) =>
        assembly.GetTypes().Where(type => type is { IsClass: true, IsAbstract: false }
            && type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public)
                .Any(method => method.IsDefined(typeof(FactAttribute), inherit: true)));

    /// <summary>
    /// One call chain from <paramref name="testClass"/> (or one of its fixtures) to <see cref="Process.Start()"/>,
    /// or null when there is none.
    /// </summary>
    public static string? ChainToProcessStart(Type testClass)
    {
        var cameFrom = new Dictionary<(Module, int), MethodBase?>();
        var queue = new Queue<MethodBase>();
        foreach (var root in RootsOf(testClass))
        {
            if (cameFrom.TryAdd(Key(root), null))
            {
                queue.Enqueue(root);
            }
        }
        while (queue.TryDequeue(out var method))
        {
            foreach (var callee in CalleesOf(method))
            {
                if (IsProcessStart(callee))
                {
                    return Describe(method, cameFrom) + " -> Process.Start";
                }
                if (IsOurs(callee) && cameFrom.TryAdd(Key(callee), method))
                {
                    queue.Enqueue(callee);
                }
            }
        }
        return null;
    }

    /// <summary>
    /// The methods, among those reachable from <paramref name="roots"/>, from which some call chain reaches
    /// <see cref="Process.Start()"/>: one walk forward over the calls, then one back from the methods that call it.
    /// </summary>
    private static HashSet<(Module, int)> MethodsReachingProcessStart(IEnumerable<MethodBase> roots)
    {
        var callers = new Dictionary<(Module, int), List<(Module, int)>>();
        var seen = new HashSet<(Module, int)>();
        var queue = new Queue<MethodBase>();
        var reaching = new HashSet<(Module, int)>();
        foreach (var root in roots)
        {
            if (seen.Add(Key(root)))
            {
                queue.Enqueue(root);
            }
        }
        while (queue.TryDequeue(out var method))
        {
            foreach (var callee in CalleesOf(method))
            {
                if (IsProcessStart(callee))
                {
                    reaching.Add(Key(method));
                }
                else if (IsOurs(callee))
                {
                    if (!callers.TryGetValue(Key(callee), out var list))
                    {
                        callers[Key(callee)] = list = [];
                    }
                    list.Add(Key(method));
                    if (seen.Add(Key(callee)))
                    {
                        queue.Enqueue(callee);
                    }
                }
            }
        }
        var back = new Queue<(Module, int)>(reaching);
        while (back.TryDequeue(out var method))
        {
            foreach (var caller in callers.GetValueOrDefault(method) ?? [])
            {
                if (reaching.Add(caller))
                {
                    back.Enqueue(caller);
                }
            }
        }
        return reaching;
    }

    private static IEnumerable<MethodBase> RootsOf(Type testClass) =>
        FixturesOf(testClass).Prepend(testClass).Distinct().SelectMany(MethodsOf);

    private static IEnumerable<Type> FixturesOf(Type testClass)
    {
        var fixtures = testClass.GetConstructors().SelectMany(constructor => constructor.GetParameters())
            .Select(parameter => parameter.ParameterType)
            .Concat(FixtureArguments(testClass, typeof(IClassFixture<>)));
        var collection = testClass.GetCustomAttributesData()
            .FirstOrDefault(attribute => attribute.AttributeType == typeof(CollectionAttribute))
            ?.ConstructorArguments.FirstOrDefault().Value as string;
        if (collection is not null)
        {
            var definitions = testClass.Assembly.GetTypes().Where(type => type.GetCustomAttributesData().Any(attribute =>
                attribute.AttributeType == typeof(CollectionDefinitionAttribute)
                && attribute.ConstructorArguments.FirstOrDefault().Value as string == collection));
            fixtures = fixtures.Concat(definitions.SelectMany(definition => FixtureArguments(definition, typeof(ICollectionFixture<>))));
        }
        return fixtures.Where(IsOurs);
    }

    private static IEnumerable<Type> FixtureArguments(Type type, Type fixtureInterface) =>
        type.GetInterfaces()
            .Where(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == fixtureInterface)
            .Select(candidate => candidate.GetGenericArguments()[0]);

    /// <summary>Every method and constructor of the type, its base types and nested types (lambdas, iterators) that is ours.</summary>
    private static IEnumerable<MethodBase> MethodsOf(Type type)
    {
        for (var current = type; current is not null && IsOurs(current); current = current.BaseType)
        {
            foreach (var method in current.GetMethods(Declared).Cast<MethodBase>().Concat(current.GetConstructors(Declared)))
            {
                yield return method;
            }
            foreach (var nested in current.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            {
                foreach (var method in MethodsOf(nested))
                {
                    yield return method;
                }
            }
        }
    }

    private static List<MethodBase> CalleesOf(MethodBase method)
    {
        lock (CalleesCache)
        {
            var key = Key(method);
            if (!CalleesCache.TryGetValue(key, out var callees))
            {
                var definition = Definition(method);
                callees = IlMethodReferences.Of(definition);
                // An async method or iterator only creates its state machine; the body is the machine's MoveNext.
                if (definition.GetCustomAttribute<StateMachineAttribute>() is { } stateMachine
                    && stateMachine.StateMachineType.GetMethod("MoveNext", Declared) is { } moveNext)
                {
                    callees.Add(moveNext);
                }
                CalleesCache[key] = callees;
            }
            return callees;
        }
    }

    private static bool IsProcessStart(MethodBase method) =>
        method.DeclaringType == typeof(Process) && method.Name == nameof(Process.Start);

    private static bool IsOurs(MethodBase method) => method.DeclaringType is { } type && IsOurs(type);

    private static bool IsOurs(Type type) => type.Assembly.GetName().Name?.StartsWith("vtorc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The generic definition of a method of a constructed generic type or a generic method instance.</summary>
    private static MethodBase Definition(MethodBase method) =>
        method.DeclaringType is { IsConstructedGenericType: true } || method is MethodInfo { IsConstructedGenericMethod: true }
            ? method.Module.ResolveMethod(method.MetadataToken) ?? method
            : method;

    private static (Module, int) Key(MethodBase method) => (method.Module, method.MetadataToken);

    private static string Describe(MethodBase last, Dictionary<(Module, int), MethodBase?> cameFrom)
    {
        var chain = new List<string>();
        for (MethodBase? method = last; method is not null; method = cameFrom[Key(method)])
        {
            chain.Add($"{method.DeclaringType?.Name}.{method.Name}");
        }
        chain.Reverse();
        return string.Join(" -> ", chain);
    }
}
