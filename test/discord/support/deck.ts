/** A small deck in the Brainscape export format the core imports (the seed deck's layout). */
export const TEST_DECK = `Recurrent Nets

1
Q

What does an RNN carry from one step to the next?

A

A hidden state.

How well did you know this?
1
Not at all
2
3
4
5
Perfectly

2
Q

What problem do LSTMs address?

A

Vanishing gradients over long sequences.

How well did you know this?
1
Not at all
2
3
4
5
Perfectly
`;
