import { countries, firstNames, lastNames } from "../../datasets/names.js";
import { addDays, createRandom, money } from "../../datasets/random.js";
import { type Row, type Table, tableOf } from "../../datasets/table.js";

/** Name, city, country, stars, opening year, rooms, review quality and booking weight (all distinct). */
const hotelSpecs: [string, string, string, number, number, number, number, number][] = [
  ["Harbour View Hotel", "Lisbon", "Portugal", 4, 1998, 26, 7.6, 13],
  ["Grand Alpine Lodge", "Innsbruck", "Austria", 5, 1987, 22, 8.4, 9],
  ["Canal House", "Amsterdam", "Netherlands", 4, 2006, 30, 7.9, 15],
  ["Old Town Inn", "Prague", "Czech Republic", 3, 2011, 18, 6.4, 8],
  ["Seaside Palace", "Nice", "France", 5, 1972, 34, 8.8, 14],
  ["Parkside Suites", "London", "United Kingdom", 4, 2015, 28, 7.2, 12],
  ["City Central", "Berlin", "Germany", 3, 2019, 24, 6.9, 11],
  ["Riverside Hotel", "Porto", "Portugal", 3, 2009, 16, 7.0, 6],
  ["Le Petit Jardin", "Lyon", "France", 4, 2001, 14, 8.1, 5],
];

/** Room type, share of the rooms, base nightly rate, most guests. */
const roomTypes: [string, number, number, number][] = [
  ["Single", 3, 85, 1],
  ["Double", 6, 125, 2],
  ["Twin", 3, 118, 2],
  ["Family", 2, 175, 4],
  ["Suite", 1, 270, 3],
];

const starFactor: Record<number, number> = { 3: 0.8, 4: 1, 5: 1.45 };
const cityFactor: Record<string, number> = {
  Lisbon: 0.95,
  Innsbruck: 1,
  Amsterdam: 1.2,
  Prague: 0.75,
  Nice: 1.15,
  London: 1.35,
  Berlin: 0.9,
  Porto: 0.85,
  Lyon: 0.95,
};

/** Channel, share of bookings, price factor, chance of a cancellation. */
const channels: [string, number, number, number][] = [
  ["Direct", 34, 1, 0.08],
  ["Booking.com", 29, 0.97, 0.19],
  ["Expedia", 19, 0.95, 0.14],
  ["Travel agent", 11, 0.9, 0.1],
  ["Corporate", 7, 0.85, 0.05],
];

/** Extra item, base unit price. */
const extraItems: [string, number][] = [
  ["Breakfast", 18],
  ["Parking", 24],
  ["Spa", 65],
  ["Minibar", 9],
  ["Airport transfer", 45],
  ["Late checkout", 30],
];

const monthWeight = [0.62, 0.66, 0.82, 0.94, 1.04, 1.22, 1.5, 1.46, 1.12, 0.92, 0.71, 0.88];
const yearWeight: Record<number, number> = { 2023: 1, 2024: 1.16, 2025: 1.31 };

const FIRST_DAY = "2023-01-01";
const LAST_CHECK_IN = "2025-06-12";
const LAST_RECORDED = "2025-06-14";

/**
 * A small hotel group: hotels, rooms with their list rates, guests, bookings with terse
 * abbreviated columns (`bkg_dt`, `chk_in_dt`, `amt`), reviews scored 1–10 and extras charged
 * to a booking. Cancelled bookings carry an amount of 0, a no-show is charged one night.
 */
export function generateHotel(): Table[] {
  const random = createRandom(4_470_913);

  const hotels = hotelSpecs.map(([hotel_name, city, country, stars, opened_year], index) => ({
    hotel_id: index + 1,
    hotel_name,
    city,
    country,
    stars,
    opened_year,
  }));

  const rooms: Row[] = [];
  const roomHotel: number[] = [];
  hotelSpecs.forEach(([, city, , stars, , count], hotelIndex) => {
    for (let n = 0; n < count; n++) {
      const [room_type, , base, max_occupancy] = random.weighted(
        roomTypes.map((type) => [type, type[1]] as const),
      );
      const floor = 1 + Math.floor(n / 8);
      const rate = Math.round(base * starFactor[stars]! * cityFactor[city]! + random.int(0, 12));
      rooms.push({
        room_id: rooms.length + 1,
        hotel_id: hotelIndex + 1,
        room_no: `${floor}${String((n % 8) + 1).padStart(2, "0")}`,
        room_type,
        rate,
        max_occupancy,
      });
      roomHotel.push(hotelIndex);
    }
  });
  // One unmistakably most expensive room: the penthouse suite at the Seaside Palace.
  const penthouse = rooms.find((room) => room.hotel_id === 5)!;
  penthouse.room_type = "Suite";
  penthouse.rate = 690;
  penthouse.max_occupancy = 3;
  // A few rooms under renovation are never booked.
  const closed = new Set([7, 41, 88, 130, 177, 205].filter((id) => id <= rooms.length));

  const guestCount = 1500;
  const guests: Row[] = [];
  const usedNames = new Set<string>();
  for (let index = 0; index < guestCount; index++) {
    let first: string;
    let last: string;
    do {
      first = random.pick(firstNames);
      last = random.pick(lastNames);
    } while (usedNames.has(`${first} ${last}`));
    usedNames.add(`${first} ${last}`);
    const home = random.weighted(countries.map((entry, n) => [entry, n < 9 ? 3 : 1] as const));
    guests.push({
      guest_id: index + 1,
      first_name: first,
      last_name: last,
      email: `${first}.${last}`
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z.]/g, "")
        .concat(`${index % 7 === 0 ? index : ""}@mail.example`),
      country: home.country,
      loyalty_tier: random.weighted([
        [null, 9],
        ["Bronze", 5],
        ["Silver", 3],
        ["Gold", 1.2],
      ] as const),
      birth_year: random.int(1945, 2004),
    });
  }
  // Some guests signed up but never stayed; the others book with very different frequency.
  const guestWeights = guests
    .filter((_, index) => index % 11 !== 5)
    .map((guest, n) => [guest, 1 / (1 + (n % 37)) + (n % 5 === 0 ? 0.4 : 0.05)] as const);

  const hotelWeights = hotelSpecs.map(([, , , , , , , weight], index) => [index, weight] as const);
  const roomsByHotel = hotelSpecs.map((_, index) =>
    rooms.filter((room, n) => roomHotel[n] === index && !closed.has(room.room_id as number)),
  );

  const bookings: (Row & { bkg_id: number; bkg_dt: string })[] = [];
  const reviews: { bkg: { bkg_id: number }; score: number; review_dt: string }[] = [];
  const extras: { bkg: { bkg_id: number }; item: string; qty: number; unit_price: number }[] = [];
  for (let day = FIRST_DAY; day <= LAST_CHECK_IN; day = addDays(day, 1)) {
    const month = Number(day.slice(5, 7));
    const mean = 5.1 * monthWeight[month - 1]! * yearWeight[Number(day.slice(0, 4))]!;
    const count = Math.floor(mean + random.next() * 1.6 - 0.3);
    for (let n = 0; n < count; n++) {
      const hotelIndex = random.weighted(hotelWeights);
      const room = random.pick(roomsByHotel[hotelIndex]!);
      const guest = random.weighted(guestWeights);
      const nights = random.weighted([
        [1, 6],
        [2, 8],
        [3, 7],
        [4, 4],
        [5, 3],
        [6, 1.5],
        [7, 2],
        [10, 0.6],
        [14, 0.3],
      ] as const);
      const [channel, , priceFactor, cancelRate] = random.weighted(
        channels.map((entry) => [entry, entry[1]] as const),
      );
      const status = random.chance(cancelRate) ? "cancelled" : random.chance(0.045) ? "no-show" : "completed";
      const season = month >= 6 && month <= 8 ? 1.15 : month === 12 ? 1.08 : 1;
      const rate = room.rate as number;
      const amt =
        status === "cancelled"
          ? 0
          : status === "no-show"
            ? rate
            : money(nights * rate * priceFactor * season * 100 * (1 - random.int(0, 3) / 100));
      const chk_out_dt = addDays(day, nights);
      const booking = {
        bkg_id: 0,
        guest_id: guest.guest_id,
        room_id: room.room_id,
        bkg_dt: addDays(
          day,
          -random.weighted([
            [random.int(0, 6), 3],
            [random.int(7, 30), 4],
            [random.int(31, 90), 3],
            [random.int(91, 200), 1],
          ] as const),
        ),
        chk_in_dt: day,
        chk_out_dt,
        nights,
        adults: random.int(1, room.max_occupancy as number),
        channel,
        status,
        amt,
      };
      bookings.push(booking);
      if (status !== "completed") continue;
      if (chk_out_dt <= LAST_RECORDED && random.chance(0.42)) {
        const quality = hotelSpecs[hotelIndex]![6] + (room.room_type === "Suite" ? 0.5 : 0);
        const review_dt = addDays(chk_out_dt, random.int(0, 9));
        if (review_dt <= LAST_RECORDED)
          reviews.push({
            bkg: booking,
            score: Math.round(Math.min(10, Math.max(1, random.around(quality, 2.2, 1, 10)))),
            review_dt,
          });
      }
      const extraCount = random.weighted([
        [0, 4],
        [1, 4],
        [2, 2],
        [3, 1],
      ] as const);
      const taken = new Set<string>();
      for (let e = 0; e < extraCount; e++) {
        const [item, base] = random.pick(extraItems);
        if (taken.has(item)) continue;
        taken.add(item);
        const qty =
          item === "Breakfast"
            ? nights * booking.adults
            : item === "Parking"
              ? nights
              : item === "Minibar"
                ? random.int(1, 6)
                : item === "Spa"
                  ? random.int(1, 2)
                  : 1;
        const unit_price =
          item === "Minibar"
            ? random.int(4, 14) + 0.5
            : Math.round(base * starFactor[hotels[hotelIndex]!.stars]!);
        extras.push({ bkg: booking, item, qty, unit_price });
      }
    }
  }
  // Numbered in the order the bookings were made.
  const order = bookings
    .map((booking, index) => ({ booking, index }))
    .sort((a, b) => String(a.booking.bkg_dt).localeCompare(String(b.booking.bkg_dt)) || a.index - b.index);
  order.forEach(({ booking }, n) => {
    booking.bkg_id = 10_001 + n;
  });
  reviews.sort((a, b) => String(a.review_dt).localeCompare(String(b.review_dt)));
  const reviewRows = reviews.map((review, n) => ({
    review_id: n + 1,
    bkg_id: review.bkg.bkg_id,
    score: review.score,
    review_dt: review.review_dt,
  }));
  const extraRows = extras.map((extra, n) => ({
    extra_id: n + 1,
    bkg_id: extra.bkg.bkg_id,
    item: extra.item,
    qty: extra.qty,
    unit_price: extra.unit_price,
  }));

  return [
    tableOf("hotels", hotels),
    tableOf("rooms", rooms),
    tableOf("guests", guests),
    tableOf(
      "bookings",
      order.map(({ booking }) => booking),
    ),
    tableOf("reviews", reviewRows),
    tableOf("extras", extraRows),
  ];
}
