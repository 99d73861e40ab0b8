using System.Reflection;
using System.Reflection.Emit;

namespace Vtorc.Testing;

/// <summary>
/// The methods and constructors a method body calls, constructs or makes a delegate of, read from its IL (the
/// operands of <c>call</c>, <c>callvirt</c>, <c>newobj</c>, <c>ldftn</c>, <c>ldvirtftn</c>, <c>jmp</c>).
/// </summary>
internal static class IlMethodReferences
{
    private static readonly OpCode?[] OneByte = new OpCode?[256];
    private static readonly OpCode?[] TwoByte = new OpCode?[256];

    static IlMethodReferences()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = (ushort)code.Value;
            if (value < 0x100)
            {
                OneByte[value] = code;
            }
            else if ((value & 0xff00) == 0xfe00)
            {
                TwoByte[value & 0xff] = code;
            }
        }
    }

    public static List<MethodBase> Of(MethodBase method)
    {
        var found = new List<MethodBase>();
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or BadImageFormatException)
        {
            return found;
        }
        if (il is null)
        {
            return found;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } type ? type.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var first = il[at++];
            var code = first == 0xfe ? TwoByte[il[at++]] : OneByte[first];
            if (code is not { } op)
            {
                // Not IL we can walk (should not happen for compiled C#): stop rather than misread operands.
                return found;
            }
            if (op.OperandType == OperandType.InlineMethod
                && Resolve(method.Module, BitConverter.ToInt32(il, at), typeArguments, methodArguments) is { } callee)
            {
                found.Add(callee);
            }
            at += OperandSize(op.OperandType, il, at);
        }
        return found;
    }

    private static MethodBase? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or FileLoadException
                                      or BadImageFormatException or MissingMemberException)
        {
            return null;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
