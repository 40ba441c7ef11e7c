import type { LabelledText } from './imdb-dataset.js';

/**
 * Short sentences written for this project (not from IMDB or any data set), from domains the model
 * never trained on: team chat, food, products, travel, software, service. The model learnt from long
 * movie reviews, so this shows how far its sense of sentiment carries outside that domain.
 */
export const CROSS_DOMAIN_SENTENCES: readonly LabelledText[] = [
  { text: 'The deploy went smoothly and everyone was happy with the release.', label: 1 },
  { text: 'Great job on the demo today, the client loved it!', label: 1 },
  { text: 'This coffee is wonderful, I will definitely order it again.', label: 1 },
  { text: 'The new laptop is fast, quiet and the battery lasts all day.', label: 1 },
  { text: 'Our waiter was friendly and the pasta was delicious.', label: 1 },
  { text: 'Thanks for the quick fix, it works perfectly now.', label: 1 },
  { text: 'The hotel room was clean, bright and had a beautiful view.', label: 1 },
  { text: 'I really enjoyed the workshop, the speaker was excellent.', label: 1 },
  { text: 'Not bad at all, much better than I expected.', label: 1 },
  { text: 'The support team solved my problem in five minutes, impressive.', label: 1 },
  { text: 'What a lovely surprise, this made my week.', label: 1 },
  { text: 'The update made the app faster and easier to use.', label: 1 },
  { text: 'Honestly the best pizza I have had in years.', label: 1 },
  { text: 'The train was on time and the seats were comfortable.', label: 1 },
  { text: 'I am so glad we switched to this tool, it saves us hours.', label: 1 },
  { text: 'Fantastic weather for the hike, we had a great time.', label: 1 },
  { text: 'The book was a joy to read from start to finish.', label: 1 },
  { text: 'Everything arrived well packed and works as described.', label: 1 },
  { text: 'She gave a clear, helpful answer to every question.', label: 1 },
  { text: 'I would recommend this dentist to anyone, very gentle and kind.', label: 1 },
  { text: 'The build is broken again and nobody knows why.', label: 0 },
  { text: 'This meeting was a complete waste of time.', label: 0 },
  { text: 'The food was cold and the service was painfully slow.', label: 0 },
  { text: 'My phone died after two days, terrible battery.', label: 0 },
  { text: 'The instructions were confusing and half the parts were missing.', label: 0 },
  { text: 'I waited an hour on hold and then they hung up on me.', label: 0 },
  { text: 'The room smelled of smoke and the shower did not work.', label: 0 },
  { text: 'Worst update ever, the app crashes every time I open it.', label: 0 },
  { text: 'I expected to love it, but it was dull and far too long.', label: 0 },
  { text: 'The flight was delayed twice and my bag was lost.', label: 0 },
  { text: 'Not worth the money, it broke within a week.', label: 0 },
  { text: 'The presentation was boring and nobody understood the point.', label: 0 },
  { text: 'Such a disappointing ending to a season that started so well.', label: 0 },
  { text: 'The new policy is unfair and makes our work harder.', label: 0 },
  { text: 'I regret buying this, the screen scratches far too easily.', label: 0 },
  { text: 'Rude staff, dirty tables and overpriced drinks.', label: 0 },
  { text: 'The tests keep failing randomly and it is driving me mad.', label: 0 },
  { text: 'This chair is uncomfortable and the back support is useless.', label: 0 },
  { text: 'Sadly the concert was cancelled at the last minute without a refund.', label: 0 },
  { text: 'The code review was harsh and unhelpful.', label: 0 },
];
