using System.Collections.Concurrent;

namespace Infera.Trust;

/// <summary>
/// The usual generation speed of each model across the network (a moving average of agreeing nodes' tokens per
/// second), so a node's speed is judged against its model's norm rather than against other models.
/// </summary>
public sealed class ModelSpeedNorms(double alpha = 0.05)
{
    private readonly ConcurrentDictionary<string, double> _norms = new(StringComparer.Ordinal);

    /// <summary>Folds one observation into the model's norm and returns the node's speed relative to it.</summary>
    public double Observe(string model, double tokensPerSecond)
    {
        var norm = _norms.AddOrUpdate(model, tokensPerSecond, (_, current) => current + (alpha * (tokensPerSecond - current)));
        return norm <= 0 ? 1 : tokensPerSecond / norm;
    }
}
