using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace GlcmMae.Trainer.Tests.Torch;

/// <summary>
/// Finds, in compiled IL, the calls that hand libtorch a TorchSharp <see cref="Scalar"/> nobody keeps alive: an implicit
/// conversion to Scalar (a temporary the finalizer may free while the native call still reads it, dotnet/TorchSharp#1496),
/// or a call into a TorchSharp method that makes such a temporary inside (<c>Tensor + Tensor</c> calls
/// <c>add(target, 1)</c>), directly or through other TorchSharp methods.
/// </summary>
internal static class ScalarTemporaries
{
    private static readonly Dictionary<int, OpCode> OpCodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => (int)(ushort)o.Value);

    private static readonly Lazy<HashSet<MethodBase>> UnsafeTorchSharp = new(FindUnsafeTorchSharpMethods);

    private static readonly Lazy<HashSet<Type>> UnsafeOptimizers = new(() => typeof(Scalar).Assembly.GetTypes()
        .Where(t => typeof(TorchSharp.Modules.OptimizerHelper).IsAssignableFrom(t) && !t.IsAbstract)
        .Where(t => UnsafeTorchSharp.Value.Any(m => m.Name.Contains("step", StringComparison.Ordinal) && (m.DeclaringType == t || m.DeclaringType?.DeclaringType == t)))
        .ToHashSet());

    /// <summary>TorchSharp optimizers whose step makes Scalar temporaries (reached through virtual calls, which the call scan cannot follow).</summary>
    public static IReadOnlySet<Type> UnsafeOptimizerTypes => UnsafeOptimizers.Value;

    /// <summary>The TorchSharp methods that create an implicit Scalar temporary, directly or through each other.</summary>
    public static IReadOnlySet<MethodBase> UnsafeTorchSharpMethods => UnsafeTorchSharp.Value;

    /// <summary>
    /// Every call in <paramref name="assembly"/> to an unsafe TorchSharp method, or to a Scalar conversion outside
    /// <paramref name="scalarOwner"/> (the one type that makes scalars and keeps them alive), as "Type.Method -> callee".
    /// </summary>
    public static IReadOnlyList<string> Find(Assembly assembly, Type? scalarOwner)
    {
        var found = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            var owner = scalarOwner is not null && (type == scalarOwner || type.DeclaringType == scalarOwner);
            foreach (var method in Methods(type))
            {
                foreach (var callee in Callees(method))
                {
                    if ((!owner && IsConversion(callee)) || UnsafeTorchSharp.Value.Contains(callee) || MakesUnsafeOptimizer(method, callee))
                    {
                        found.Add($"{type.FullName}.{method.Name} -> {callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})");
                    }
                }
            }
        }

        return [.. found.Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Constructing a TorchSharp optimizer whose step is unsafe, other than as the base of a type that replaces its step.</summary>
    private static bool MakesUnsafeOptimizer(MethodBase caller, MethodBase callee)
    {
        var made = callee is ConstructorInfo ? callee.DeclaringType : (callee as MethodInfo)?.ReturnType;
        if (made is null || !UnsafeOptimizers.Value.Contains(made))
        {
            return false;
        }

        var replacesStep = caller is ConstructorInfo && caller.DeclaringType is { } derived && derived.IsSubclassOf(made)
            && derived.GetMethod("step", BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly) is not null;
        return !replacesStep;
    }

    private static bool IsConversion(MethodBase method) =>
        (method.DeclaringType == typeof(Scalar) && method.Name == "op_Implicit") || (method.DeclaringType == typeof(ScalarExtensionMethods) && method.Name == "ToScalar");

    private static HashSet<MethodBase> FindUnsafeTorchSharpMethods()
    {
        var methods = typeof(Scalar).Assembly.GetTypes().SelectMany(Methods).ToArray();
        var callees = methods.ToDictionary(m => m, m => Callees(m).ToArray());
        var unsafeMethods = methods.Where(m => callees[m].Any(IsConversion)).ToHashSet();
        // Callers of unsafe methods are unsafe too, until nothing changes.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var method in methods)
            {
                if (!unsafeMethods.Contains(method) && callees[method].Any(unsafeMethods.Contains))
                {
                    changed = unsafeMethods.Add(method) || changed;
                }
            }
        }

        return unsafeMethods;
    }

    private static IEnumerable<MethodBase> Methods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Cast<MethodBase>()
            .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));

    /// <summary>The methods a method's IL calls (call, callvirt, newobj), decoded instruction by instruction.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception exception) when (exception is InvalidOperationException or BadImageFormatException)
        {
            yield break;
        }

        if (il is null)
        {
            yield break;
        }

        for (var i = 0; i < il.Length;)
        {
            int value = il[i] == 0xFE && i + 1 < il.Length ? 0xFE00 | il[i + 1] : il[i];
            if (!OpCodes.TryGetValue(value, out var opCode))
            {
                yield break;
            }

            i += opCode.Size;
            if (opCode == System.Reflection.Emit.OpCodes.Call || opCode == System.Reflection.Emit.OpCodes.Callvirt || opCode == System.Reflection.Emit.OpCodes.Newobj)
            {
                MethodBase? callee = null;
                try
                {
                    callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null, method.IsGenericMethod ? method.GetGenericArguments() : null);
                }
                catch (Exception exception) when (exception is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
                {
                }

                if (callee is not null)
                {
                    yield return callee is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericMethodDefinition() : callee;
                }
            }

            i += Operand(opCode, il, i);
        }
    }

    private static int Operand(OpCode opCode, byte[] il, int at) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
