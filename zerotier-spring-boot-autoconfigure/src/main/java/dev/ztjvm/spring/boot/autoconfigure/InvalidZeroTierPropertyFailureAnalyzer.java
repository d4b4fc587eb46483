package dev.ztjvm.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an invalid {@code zerotier.*} property with its name, the problem and the fix. */
final class InvalidZeroTierPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidZeroTierPropertyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidZeroTierPropertyException cause) {
    return new FailureAnalysis(
        "The ZeroTier property '" + cause.getProperty() + "' has the invalid value '" + cause.getValue() + "': "
            + cause.getProblem() + ".",
        "Fix '" + cause.getProperty() + "': " + cause.getFix() + ".",
        cause);
  }
}
