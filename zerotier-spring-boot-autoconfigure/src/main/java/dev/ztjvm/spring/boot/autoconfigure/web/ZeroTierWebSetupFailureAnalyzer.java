package dev.ztjvm.spring.boot.autoconfigure.web;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link ZeroTierWebSetupException}: what cannot be served or called over ZeroTier, and the way out. */
final class ZeroTierWebSetupFailureAnalyzer extends AbstractFailureAnalyzer<ZeroTierWebSetupException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ZeroTierWebSetupException cause) {
    return new FailureAnalysis(cause.getProblem(), cause.getAction(), cause);
  }
}
