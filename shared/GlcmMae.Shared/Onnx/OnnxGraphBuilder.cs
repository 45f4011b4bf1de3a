using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace GlcmMae.Shared.Onnx;

/// <summary>A small builder of ONNX graphs over the protobuf schema types: inputs, float/int64 initializers, nodes, outputs.</summary>
/// <remarks>Node outputs get unique generated names; every tensor is float32 unless made by <see cref="Int64"/>.</remarks>
public sealed class OnnxGraphBuilder(string name)
{
    private readonly GraphProto _graph = new() { Name = name };
    private readonly Dictionary<string, string> _int64Constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _floatConstants = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>Declares a float input; a string dimension is symbolic (e.g. "batch"), a number fixed.</summary>
    public string Input(string inputName, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(inputName, dims));
        return inputName;
    }

    /// <summary>Declares a float graph output fed by <paramref name="value"/> under <paramref name="outputName"/>.</summary>
    public void Output(string outputName, string value, params object[] dims)
    {
        if (value != outputName)
        {
            Node("Identity", [value], outputName: outputName);
        }

        _graph.Output.Add(ValueInfo(outputName, dims));
    }

    /// <summary>A float32 weight.</summary>
    public string Float(string tensorName, ReadOnlySpan<float> data, params long[] dims)
    {
        var tensor = new TensorProto { Name = tensorName, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data)) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return tensorName;
    }

    /// <summary>A named float scalar, added once however often it is asked for.</summary>
    public string FloatConstant(string constantName, float value)
    {
        if (_floatConstants.Add(constantName))
        {
            Float(constantName, [value]);
        }

        return constantName;
    }

    /// <summary>An int64 constant (shapes, axes, indices), shared when the same values recur; no dims means a scalar.</summary>
    public string Int64(long[] values, bool scalar = false)
    {
        var key = (scalar ? "s:" : "v:") + string.Join(',', values);
        if (_int64Constants.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var tensorName = string.Create(CultureInfo.InvariantCulture, $"const_{_int64Constants.Count}");
        var tensor = new TensorProto { Name = tensorName, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.AddRange(values);
        if (!scalar)
        {
            tensor.Dims.Add(values.Length);
        }

        _graph.Initializer.Add(tensor);
        _int64Constants[key] = tensorName;
        return tensorName;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, string[] inputs, IReadOnlyDictionary<string, object>? attributes = null, string? outputName = null)
    {
        var output = outputName ?? string.Create(CultureInfo.InvariantCulture, $"{op.ToLowerInvariant()}_{_counter++}");
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (key, value) in attributes ?? new Dictionary<string, object>())
        {
            node.Attribute.Add(Attribute(key, value));
        }

        _graph.Node.Add(node);
        return output;
    }

    /// <summary>The model: IR version 8, the default-domain opset, producer and metadata properties.</summary>
    public ModelProto Build(int opset, IReadOnlyDictionary<string, string> metadata, string producerVersion)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "glcmmae",
            ProducerVersion = producerVersion,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static ValueInfoProto ValueInfo(string valueName, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, CultureInfo.InvariantCulture) });
        }

        return new ValueInfoProto
        {
            Name = valueName,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string attributeName, object value)
    {
        var attribute = new AttributeProto { Name = attributeName };
        switch (value)
        {
            case int i:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = i;
                break;
            case long l:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = l;
                break;
            case float f:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = f;
                break;
            case long[] ints:
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.AddRange(ints);
                break;
            default:
                throw new ArgumentException($"Attribute {attributeName}: type {value.GetType().Name} is not supported.", nameof(value));
        }

        return attribute;
    }
}
