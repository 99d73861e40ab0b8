using Xunit.Abstractions;
using Xunit.Sdk;

namespace Vtorc.Testing;

/// <summary>Gives the tests of a class marked <see cref="NeedsExternalProcessAttribute"/> the trait <c>Needs=external</c>.</summary>
public sealed class NeedsExternalProcessTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new(NeedsExternalProcessAttribute.TraitName, NeedsExternalProcessAttribute.TraitValue);
    }
}
