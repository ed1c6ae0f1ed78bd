/**
 * What an UpdateItem's `SET a = :a, …` writes, as the attribute map a Put of
 * the same values would carry: lets a test assert on a ticket written by
 * UpdateItem as it would on an item.
 */
export function attributesSetBy(update: {
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}): Record<string, unknown> {
  const expression = update.UpdateExpression ?? '';
  if (!expression.startsWith('SET ')) throw new Error(`Not a SET expression: ${expression}`);
  const names = update.ExpressionAttributeNames ?? {};
  const values = update.ExpressionAttributeValues ?? {};
  return Object.fromEntries(
    expression
      .slice('SET '.length)
      .split(', ')
      .map((assignment) => {
        const [name = '', value = ''] = assignment.split(' = ');
        return [names[name] ?? name, values[value]];
      }),
  );
}
