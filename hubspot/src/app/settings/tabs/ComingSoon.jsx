// What a tab says until its capability exists: what it will hold, so nobody looks for a switch that is not there.
import React from 'react';
import { EmptyState, Text } from '@hubspot/ui-extensions';

export function ComingSoon({ title, testId, children }) {
  return (
    <EmptyState title={title} layout="vertical" imageName="building" testId={testId}>
      <Text>{children}</Text>
    </EmptyState>
  );
}
