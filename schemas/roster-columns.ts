/** A column of the payout roster (contract 2.1) with its header aliases. */
export interface RosterColumnDefinition {
  readonly name: RosterColumn;
  readonly aliases: readonly string[];
  readonly required: boolean;
  /** Bilingual label used in reports read by town officers. */
  readonly label: string;
}

export const ROSTER_COLUMNS = [
  'id_number',
  'name',
  'household_id',
  'category',
  'amount',
  'month',
  'town',
  'account_number',
  'account_holder_id',
  'remark',
] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

export const ROSTER_COLUMN_DEFINITIONS: readonly RosterColumnDefinition[] = [
  { name: 'id_number', aliases: ['身份证号', '公民身份号码'], required: true, label: '身份证号 id_number' },
  { name: 'name', aliases: ['姓名'], required: true, label: '姓名 name' },
  { name: 'household_id', aliases: ['户编号', '户号'], required: true, label: '户编号 household_id' },
  { name: 'category', aliases: ['救助类别', '类别'], required: true, label: '救助类别 category' },
  { name: 'amount', aliases: ['发放金额', '金额'], required: true, label: '发放金额 amount' },
  { name: 'month', aliases: ['发放月份', '月份'], required: true, label: '发放月份 month' },
  { name: 'town', aliases: ['镇街'], required: true, label: '镇街 town' },
  {
    name: 'account_number',
    aliases: ['收款账号', '账号', '社保卡号'],
    required: true,
    label: '收款账号 account_number',
  },
  {
    name: 'account_holder_id',
    aliases: ['开户人身份证号'],
    required: false,
    label: '开户人身份证号 account_holder_id',
  },
  { name: 'remark', aliases: ['备注'], required: false, label: '备注 remark' },
];

export const REQUIRED_ROSTER_COLUMNS: readonly RosterColumn[] = ROSTER_COLUMN_DEFINITIONS.filter(
  (c) => c.required,
).map((c) => c.name);
